"""Markup rules the Nu HTML checker and axe enforce, on the pages that broke them."""

import re
from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _Structure(HTMLParser):
    """Records, for every ``dt``/``dd``, its parent and grandparent, and every table's parent."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__()
        self.stack, self.terms, self.tables = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in ("dt", "dd"):
            self.terms.append((tag, tuple(self.stack[-2:])))
        if tag == "table":
            self.tables.append(self.stack[-1] if self.stack else "")
        if tag not in self.VOID:
            classes = dict(attrs).get("class") or ""
            self.stack.append(f"{tag}.{classes.split()[0]}" if classes else tag)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop().split(".")[0] == tag:
                break


def _structure(html: str) -> _Structure:
    parser = _Structure()
    parser.feed(html)
    return parser


def test_report_figures_are_terms_of_their_own_lists(client, edition):
    page = _structure(client.get(f"/editions/{edition.number}/report/").content.decode())

    assert page.terms
    for _tag, (grandparent, parent) in page.terms:
        assert parent.startswith("dl") or (parent == "div" and grandparent.startswith("dl"))


def test_report_tables_scroll_inside_their_own_box_on_phones(client, edition):
    page = _structure(client.get(f"/editions/{edition.number}/report/").content.decode())

    assert page.tables
    assert set(page.tables) == {"div.table-responsive"}


def test_logo_link_keeps_its_name_when_the_long_name_is_hidden(client):
    html = client.get("/").content.decode()

    assert '<span class="brand-mark">CIEP</span>' in html
    assert 'class="brand-text"' in html


def test_wrong_password_error_is_tied_to_both_fields(client, user):
    html = client.post(
        "/zh-hans/accounts/login/", {"login": user.email, "password": "not the password"}
    ).content.decode()

    alert = html[html.index('<div class="form-errors" id="form-errors" role="alert">') :]
    assert "您提供的电子邮件地址和/或密码不正确" in alert[: alert.index("</div>")]
    login = re.search(r'<input type="email" name="login"[^>]*>', html).group()
    password = re.search(r'<input type="password" name="password"[^>]*>', html).group()
    remember = re.search(r'<input type="checkbox" name="remember"[^>]*>', html).group()
    assert 'aria-describedby="form-errors"' in login and 'aria-invalid="true"' in login
    assert 'aria-describedby="id_password_helptext form-errors"' in password
    assert 'aria-invalid="true"' in password
    assert "aria-invalid" not in remember and "aria-describedby" not in remember


def test_other_forms_errors_are_not_tied_to_every_field(client, user):
    html = client.post("/accounts/signup/", {"email": user.email}).content.decode()

    assert "form-errors" not in re.search(r'<input type="email" name="email"[^>]*>', html).group()
