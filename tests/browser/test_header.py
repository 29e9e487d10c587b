"""The header keeps to one row at laptop widths (1024 to 1366 px), in both languages, signed out
and signed in."""

import pytest

from tests.factories import PASSWORD, EditionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP_WIDTHS = (1024, 1280, 1366)
# The boxes in the header: the logo link, each menu link, the language link and the account's
# buttons. One row means that a horizontal line crosses all of them.
HEADER_ROW = """
const boxes = [...document.querySelectorAll(
  ".site-header .navbar-brand, .site-header .main-nav .nav-link, .site-header .nav-tools > *"
)].map(element => element.getBoundingClientRect());
return {
  count: boxes.length,
  lowestTop: Math.max(...boxes.map(box => box.top)),
  highestBottom: Math.min(...boxes.map(box => box.bottom)),
  height: document.querySelector(".site-header").getBoundingClientRect().height,
  overflow: document.documentElement.scrollWidth - window.innerWidth,
};
"""


@pytest.fixture
def laptop(browser):
    yield browser
    browser.driver.set_window_size(1280, 1000)


def header_rows(browser, path: str) -> list[str]:
    """What is wrong with the header of ``path`` at each laptop width (nothing: one row)."""
    problems = []
    for width in LAPTOP_WIDTHS:
        browser.driver.set_window_size(width, 900)
        browser.get(path)
        browser.find(".site-header")
        row = browser.driver.execute_script(HEADER_ROW)
        if row["count"] < 8 or row["lowestTop"] >= row["highestBottom"] or row["overflow"] > 0:
            problems.append(f"{path} at {width} px: {row}")
    return problems


def test_header_is_one_row_at_laptop_widths_in_both_languages(laptop):
    EditionFactory(is_current=True)

    problems = header_rows(laptop, "/") + header_rows(laptop, "/zh-hans/")

    assert problems == []


def test_header_is_one_row_at_laptop_widths_signed_in(laptop):
    EditionFactory(is_current=True)
    UserFactory(email="amira@example.org", name="Amira Haddad-Rahman")
    laptop.get("/accounts/login/")
    laptop.fill("#id_login", "amira@example.org")
    laptop.fill("#id_password", PASSWORD)
    laptop.submit("main form button[type=submit]")
    laptop.wait_for_text("Amira Haddad-Rahman", ".user-menu summary")

    problems = header_rows(laptop, "/") + header_rows(laptop, "/zh-hans/")

    assert problems == []
