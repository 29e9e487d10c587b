import io
import time

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache, caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.http import HttpRequest
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from ciep.caching import forget_versions
from tests.factories import (
    DelegationFactory,
    EditionFactory,
    FieldFactory,
    OrganisationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """Fast hashing, own media and private folders, an empty cache and English for every test;
    the demo without its generated 17th edition unless a test asks for it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEMO_EDITION_SCALE = 0
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "ciep.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private"},
        },
    }
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "sessions")
    }
    cache.clear()
    caches["sessions"].clear()
    forget_versions()
    translation.activate("en")
    yield
    translation.deactivate()
    cache.clear()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def organiser(db):
    return UserFactory(organiser=True)


# The TOTP secret of authenticators set up by tests (base32, as authenticator apps read it).
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_code(secret=TOTP_SECRET, offset=0) -> str:
    """The code an authenticator app shows now (or ``offset`` periods from now)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def give_authenticator(user, secret=TOTP_SECRET) -> Authenticator:
    """Set up (once) a TOTP authenticator for ``user``, as allauth's activation does."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def sign_in_with_second_factor(client, user):
    """Sign ``user`` in on ``client`` as allauth's login with a password and a TOTP code does.

    The session holds the same authentication records as after allauth's two steps, which is
    what the back office asks of staff (ciep/second_factor.py).
    """
    authenticator = give_authenticator(user)
    client.force_login(user)
    request = HttpRequest()
    request.session = client.session
    request.user = user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return user


def sign_in(client, user):
    """Sign ``user`` in as they would: staff with their second factor, as the organisers' tools
    ask of them, everyone else with a password."""
    if user.is_staff:
        return sign_in_with_second_factor(client, user)
    client.force_login(user)
    return user


@pytest.fixture
def edition(db):
    return EditionFactory(is_current=True)


@pytest.fixture
def field(db):
    return FieldFactory()


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def delegation(edition):
    return DelegationFactory(edition=edition)


def image_file(name="photo.png", size=(64, 48), image_format="PNG", color=(200, 30, 40)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=image_format)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{image_format.lower()}")


def pdf_bytes(build=None) -> bytes:
    """A real one-page PDF, as pypdf writes it; ``build(writer)`` may add to it first."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    if build is not None:
        build(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


PDF_BYTES = pdf_bytes()


def pdf_file(name="document.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class _DeliveredMail(list):
    """``django.core.mail.outbox`` as it would be once the test's transaction committed.

    Mail leaves the outbox after commit, and a test's transaction never commits: reading the
    mailbox first runs what a commit would have run (as Django's
    ``TestCase.captureOnCommitCallbacks(execute=True)`` does), then reads what was delivered.
    Callbacks of a block that rolled back were already dropped by Django, so they never run.
    """

    def _deliver(self):
        for alias in connections:
            connection = connections[alias]
            while connection.run_on_commit:
                callbacks, connection.run_on_commit = connection.run_on_commit, []
                for _savepoints, callback, _robust in callbacks:
                    callback()

    def __len__(self):
        self._deliver()
        return super().__len__()

    def __iter__(self):
        self._deliver()
        return super().__iter__()

    def __getitem__(self, index):
        self._deliver()
        return super().__getitem__(index)

    def __eq__(self, other):
        self._deliver()
        return super().__eq__(other)

    def __contains__(self, message):
        self._deliver()
        return super().__contains__(message)

    def clear(self):
        self._deliver()  # what was sent before is cleared with the rest
        super().clear()


@pytest.fixture(autouse=True)
def _mail_after_commit(monkeypatch):
    monkeypatch.setattr(mail, "outbox", _DeliveredMail(), raising=False)
