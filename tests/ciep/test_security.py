"""The policy headers on every response, and the public media origin they allow."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from storages.backends.s3 import S3Storage

from ciep import selectors
from ciep.security import PERMISSIONS_POLICY, media_url_origins, public_media_origins
from tests.conftest import sign_in_with_second_factor

pytestmark = pytest.mark.django_db
ROOT = Path(django_settings.BASE_DIR)

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
PRODUCTION_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: https://media.ciep.example.org; font-src 'self'; "
    "connect-src 'self'; media-src 'self' https://media.ciep.example.org; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests"
)


@pytest.fixture
def organiser_client(client, organiser):
    sign_in_with_second_factor(client, organiser)
    return client


@pytest.mark.parametrize(
    "path",
    ["/", "/zh-hans/", "/editions/", "/accounts/login/", "/accounts/signup/", "/no-such-page/"],
)
def test_policy_headers_on_pages_allauth_and_error_pages(client, edition, path):
    response = client.get(path)
    assert response.status_code == (404 if path == "/no-such-page/" else 200)
    assert response["Content-Security-Policy"] == POLICY
    assert "Content-Security-Policy-Report-Only" not in response
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Referrer-Policy"] == "same-origin"


def test_policy_headers_on_the_admin(organiser_client, edition):
    for path in ("/admin/", f"/admin/ciep/edition/{edition.pk}/change/"):
        response = organiser_client.get(path)
        assert response.status_code == 200
        assert response["Content-Security-Policy"] == POLICY
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_policy_header_on_the_server_error_page(client, monkeypatch, edition):
    def broken():
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "current_edition", broken)
    client.raise_request_exception = False
    client.cookies["sessionid"] = "x"  # not served from the page cache
    response = client.get("/")
    assert response.status_code == 500
    assert response["Content-Security-Policy"] == POLICY


def test_policy_header_on_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/accounts/login/")
    assert (response.status_code, response["Location"]) == (
        301,
        "https://testserver/accounts/login/",
    )
    assert response["Content-Security-Policy"] == POLICY


def test_policy_header_on_a_page_served_from_the_cache(client, edition):
    client.get("/editions/")
    response = client.get("/editions/")
    assert response["X-Page-Cache"] == "hit"
    assert response["Content-Security-Policy"] == POLICY


def test_permissions_policy_turns_the_devices_off():
    assert PERMISSIONS_POLICY == (
        "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), "
        "encrypted-media=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), "
        "magnetometer=(), microphone=(), midi=(), payment=(), screen-wake-lock=(), serial=(), "
        "usb=(), xr-spatial-tracking=()"
    )


def test_production_policy_upgrades_requests_and_allows_the_media_origin(client, settings):
    settings.CSP_MEDIA_ORIGINS = ["https://media.ciep.example.org"]
    settings.CSP_UPGRADE_INSECURE_REQUESTS = True
    response = client.get("/accounts/login/")
    assert response["Content-Security-Policy"] == PRODUCTION_POLICY


def test_report_only_sends_the_policy_without_enforcing_it(client, settings):
    settings.CSP_REPORT_ONLY = True
    response = client.get("/accounts/login/")
    assert response["Content-Security-Policy-Report-Only"] == POLICY
    assert "Content-Security-Policy" not in response


def test_public_media_have_no_resource_policy_and_a_sandbox_of_their_own(client):
    response = client.get("/media/exhibitors/logo.png")
    assert "Cross-Origin-Resource-Policy" not in response
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_public_documents_the_portal_serves_are_downloads_never_sniffed(rf):
    from django.http import HttpResponse, HttpResponseNotFound

    from ciep.security import SecurityHeadersMiddleware

    def served(path, answer):
        response = SecurityHeadersMiddleware(lambda request: answer)(rf.get(path))
        return (
            response.get("Content-Disposition"),
            response["X-Content-Type-Options"],
            response["Content-Security-Policy"],
        )

    sandbox = "default-src 'none'; sandbox"
    assert [
        served("/media/b/a.pdf", HttpResponse(b"%PDF-", content_type="application/pdf")),
        served("/media/b/a.html", HttpResponse(b"<script>", content_type="text/html")),
        served("/media/l/a.png", HttpResponse(b"\x89PNG", content_type="image/png")),
        served("/media/l/gone.pdf", HttpResponseNotFound(b"Not found")),
    ] == [
        ("attachment", "nosniff", sandbox),
        ("attachment", "nosniff", sandbox),
        (None, "nosniff", sandbox),
        (None, "nosniff", sandbox),
    ]


@pytest.mark.parametrize(
    "media_url, origins",
    [
        ("media/", []),
        ("/media/", []),
        ("https://media.ciep.example.org/", ["https://media.ciep.example.org"]),
        ("https://static.example.org:8443/ciep/media/", ["https://static.example.org:8443"]),
        ("//media.ciep.example.org/", ["media.ciep.example.org"]),
    ],
)
def test_media_url_on_another_origin_is_allowed_by_the_policy(media_url, origins):
    assert media_url_origins(media_url) == origins


def test_media_url_from_the_environment_names_the_files_and_the_policy():
    env = {**os.environ, "DJANGO_DEBUG": "1", "DJANGO_MEDIA_URL": "https://media.ciep.example.org/"}
    env.pop("DJANGO_S3_PUBLIC_BUCKET", None)
    script = (
        "from django.conf import settings; from django.core.files.storage import storages;"
        "print(settings.CSP_MEDIA_ORIGINS, storages['default'].url('logos/2026/a.png'))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "['https://media.ciep.example.org'] https://media.ciep.example.org/logos/2026/a.png"
    )


STORAGE_CONFIGURATIONS = [
    # Alibaba Cloud OSS behind a CDN.
    {"custom_domain": "media.ciep.example.org", "endpoint_url": "https://oss.example.com"},
    # The cluster: nginx serves the bucket below a path of the portal's host, over HTTP.
    {"custom_domain": "127.0.0.1:8400/media", "url_protocol": "http:"},
    {"endpoint_url": "https://oss-cn-shenzhen.aliyuncs.com", "addressing_style": "virtual"},
    {"endpoint_url": "https://cos.ap-guangzhou.myqcloud.com", "region": "ap-guangzhou"},
    {"endpoint_url": "http://minio:9000", "addressing_style": "path"},
    {},
    {"region": "eu-west-1"},
    {"region": "eu-west-1", "addressing_style": "virtual"},
    {"region": "cn-north-1"},
    {"region": "cn-north-1", "addressing_style": "path"},
]


@pytest.mark.parametrize("configuration", STORAGE_CONFIGURATIONS)
def test_media_origins_hold_the_storage_urls_origin(configuration):
    storage = S3Storage(
        bucket_name="ciep-media",
        access_key="key",
        secret_key="secret",
        querystring_auth=False,
        endpoint_url=configuration.get("endpoint_url"),
        region_name=configuration.get("region"),
        addressing_style=configuration.get("addressing_style"),
        custom_domain=configuration.get("custom_domain"),
        url_protocol=configuration.get("url_protocol", "https:"),
    )
    url = urlsplit(storage.url("exhibitors/logo.png"))
    origins = public_media_origins(bucket="ciep-media", **configuration)
    assert f"{url.scheme}://{url.netloc}" in origins
    assert "*" not in " ".join(origins)


def test_media_origins_without_object_storage_are_none():
    assert public_media_origins(bucket="", custom_domain="media.ciep.example.org") == []


def test_media_origins_are_read_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DJANGO_S3_PUBLIC_BUCKET": "ciep-media",
        "DJANGO_S3_ENDPOINT_URL": "https://oss-cn-shenzhen.aliyuncs.com",
        "DJANGO_S3_CUSTOM_DOMAIN": "media.ciep.example.org/public",
        "DJANGO_S3_URL_PROTOCOL": "https:",
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from django.conf import settings; print(settings.CSP_MEDIA_ORIGINS)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['https://media.ciep.example.org']"
