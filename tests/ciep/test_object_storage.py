"""Public media and private files in a real S3 endpoint (moto's standalone server)."""

import json
import socket
import subprocess
import sys
import time
import urllib.request

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse

from ciep.storage import private_files
from recruitment.models import Application, TalentProfile
from tests.conftest import PDF_BYTES, image_file
from tests.factories import MembershipFactory
from tests.recruitment.factories import JobPostingFactory, TalentProfileFactory

pytestmark = pytest.mark.django_db

KEYS = {"access_key": "portal", "secret_key": "portal-secret"}


@pytest.fixture(scope="module")
def s3_endpoint():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(endpoint, timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("moto's S3 server did not start")
            time.sleep(0.2)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    for bucket in ("ciep-public", "ciep-private"):
        client.create_bucket(Bucket=bucket)
    yield endpoint, client
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def s3(settings, s3_endpoint):
    endpoint, client = s3_endpoint
    common = {
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "signature_version": "s3v4",
        **KEYS,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "ciep.s3.PortalS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": "ciep-public",
                "querystring_auth": False,
                "custom_domain": "media.ciep.example",
                "file_overwrite": False,
            },
        },
        "private": {
            "BACKEND": "ciep.s3.PortalS3Storage",
            "OPTIONS": {
                **common,
                "bucket_name": "ciep-private",
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    return client


def keys(client, bucket):
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def test_cv_and_application_live_in_the_private_bucket_only(client, s3, edition, field):
    membership = MembershipFactory(role="staff")
    posting = JobPostingFactory(organisation=membership.organisation)
    profile = TalentProfileFactory(visibility=TalentProfile.Visibility.APPLIED)
    profile.cv.save("cv.pdf", ContentFile(PDF_BYTES))
    client.force_login(profile.user)
    response = client.post(reverse("recruitment:apply", args=[posting.pk]), {"cover_letter": "Hi"})
    assert response.status_code == 302
    application = Application.objects.get()

    assert keys(s3, "ciep-private") == sorted([profile.cv.name, application.cv.name])
    assert keys(s3, "ciep-public") == []
    client.force_login(membership.user)
    download = client.get(reverse("recruitment:application_cv", args=[application.pk]))
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["X-Content-Type-Options"] == "nosniff"


def test_private_storage_urls_are_signed_and_short_lived(s3):
    name = private_files.save("cvs/2026/a.pdf", ContentFile(PDF_BYTES))
    url = private_files.url(name)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    assert urllib.request.urlopen(url, timeout=5).read() == PDF_BYTES


def test_public_media_has_permanent_urls_on_the_media_domain(s3):
    name = storages["default"].save("logos/2026/logo.png", ContentFile(image_file().read()))
    assert storages["default"].url(name) == f"https://media.ciep.example/{name}"
    assert keys(s3, "ciep-public") == [name]


def test_public_documents_are_stored_as_downloads_of_the_type_their_name_says(s3):
    from django.core.files.uploadedfile import SimpleUploadedFile

    public = storages["default"]
    # The type the uploader's browser declared is not the one stored.
    sent = SimpleUploadedFile("evil.html", PDF_BYTES, content_type="text/html")
    document = public.save("exhibitors/brochures/2026/a.pdf", sent)
    logo = public.save("exhibitors/logos/2026/a.png", ContentFile(image_file().read()))
    cv = private_files.save("cvs/2026/a.pdf", SimpleUploadedFile("cv.html", PDF_BYTES, "text/html"))
    stored = [s3.head_object(Bucket="ciep-public", Key=name) for name in (document, logo)]
    stored.append(s3.head_object(Bucket="ciep-private", Key=cv))
    assert [(head["ContentType"], head.get("ContentDisposition")) for head in stored] == [
        ("application/pdf", "attachment"),
        ("image/png", None),
        ("application/pdf", "attachment"),
    ]


def test_settings_choose_object_storage_from_the_environment():
    env = {
        "DJANGO_DEBUG": "1",
        "DJANGO_S3_PUBLIC_BUCKET": "pub",
        "DJANGO_S3_PRIVATE_BUCKET": "priv",
        "DJANGO_S3_ENDPOINT_URL": "https://oss-cn-shenzhen.aliyuncs.com",
        "DJANGO_S3_CUSTOM_DOMAIN": "media.ciep.example",
        "PATH": "/usr/bin:/bin",
    }
    script = (
        "import json; from ciep import settings as s;"
        "o = {k: {n: str(v) for n, v in c.get('OPTIONS', {}).items()}"
        " for k, c in s.STORAGES.items()};"
        "print(json.dumps([s.STORAGES['default']['BACKEND'], o]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout
    backend, options = json.loads(out)
    assert backend == "ciep.s3.PortalS3Storage"
    assert (options["default"]["bucket_name"], options["private"]["bucket_name"]) == ("pub", "priv")
    assert options["default"]["custom_domain"] == "media.ciep.example"
    assert options["default"]["querystring_auth"] == "False"
    assert (options["private"]["querystring_auth"], options["private"]["default_acl"]) == (
        "True",
        "private",
    )
    assert options["private"]["endpoint_url"] == "https://oss-cn-shenzhen.aliyuncs.com"
