"""Browser tests: Debian's Chromium, driven by Selenium, against Django's live server."""

import os
import shutil
import tempfile

import pytest
from selenium import webdriver
from selenium.common.exceptions import ElementClickInterceptedException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"


@pytest.fixture(scope="session")
def _driver():
    if not (os.path.exists(CHROMIUM) and os.path.exists(CHROMEDRIVER)):
        pytest.fail("Debian's chromium and chromium-driver are needed for the browser tests.")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="ciep-chromium-")
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,1000",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(argument)
    # The console's messages, read by the tests that look for Content-Security-Policy reports.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


class Browser:
    """A thin helper over the WebDriver for readable tests."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url

    def get(self, path):
        self.driver.get(self.base_url + path)

    def find(self, css):
        return WebDriverWait(self.driver, 10).until(
            expected_conditions.presence_of_element_located((By.CSS_SELECTOR, css))
        )

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def fill(self, css, value):
        element = self.find(css)
        element.clear()
        element.send_keys(value)

    def click(self, css):
        element = self.find(css)
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        try:
            element.click()
        except ElementClickInterceptedException:
            # A sticky neighbour covers the element at the viewport's edge: click it directly.
            self.driver.execute_script("arguments[0].click();", element)

    def submit(self, css="form button[type=submit]"):
        self.click(css)

    def wait_for_text(self, text, css="body"):
        """Wait until ``text`` shows in ``css``, riding out the page being replaced meanwhile."""

        def has_text(driver):
            try:
                return text in driver.find_element(By.CSS_SELECTOR, css).text
            except WebDriverException:
                return False

        WebDriverWait(self.driver, 10).until(has_text, f"{text!r} never appeared in {css}")

    @property
    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    @property
    def path(self):
        return self.driver.current_url.removeprefix(self.base_url)


@pytest.fixture
def browser(_driver, live_server):
    _driver.delete_all_cookies()
    yield Browser(_driver, live_server.url)
    _driver.delete_all_cookies()
