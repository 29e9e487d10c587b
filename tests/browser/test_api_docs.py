"""The API's browsable docs work under the portal's Content-Security-Policy."""

import pytest

from tests.browser.test_security_headers import policy_reports
from tests.factories import EditionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_draw_the_description_and_break_no_policy(browser):
    EditionFactory()
    browser.get("/api/v1/docs")
    browser.wait_for_text("/api/v1/editions", ".swagger-ui")
    assert "CIEP portal API" in browser.find(".swagger-ui .info").text
    assert policy_reports(browser) == []
