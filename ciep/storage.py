"""Public media and private files, kept in two storages that every machine shares.

Public media (logos, banners, gallery and product images, speaker photos, brochures) live in
the ``default`` storage and have permanent URLs. Private files (CVs, the CV kept with an
application, signed agreements, talents' photos) live in the ``private`` storage: in object
storage a private bucket whose URLs are signed and expire within minutes, on the local file
system a folder outside the served media root whose URLs are likewise signed and short-lived.
Pages never link to a private file's storage URL: a view checks who asks, then streams the file
with ``private_file_response``.
"""

from pathlib import PurePath

from django.core import signing
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

SIGNING_SALT = "ciep.storage.private"

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "gif": "image/gif",
}


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up when first used (and again when settings change)."""

    def _setup(self):
        self._wrapped = storages["private"]


private_files = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_ROOT"):
        private_files._wrapped = empty


def private_storage():
    """The storage of personal files, for ``FileField(storage=private_storage)``."""
    return private_files


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """Local private files: outside ``MEDIA_ROOT``, reachable only by short-lived signed URLs."""

    def url(self, name):
        return reverse("private_file", args=[signing.dumps(name, salt=SIGNING_SALT)])


def signed_name(token: str, *, max_age: int) -> str:
    """The file name a ``PrivateFileSystemStorage`` URL was issued for, or ``Http404``."""
    try:
        return signing.loads(token, salt=SIGNING_SALT, max_age=max_age)
    except signing.BadSignature:
        raise Http404 from None


def private_file_response(file, *, filename: str, inline: bool = False) -> FileResponse:
    """Stream a file field's file to someone already allowed to see it (``Http404`` if none)."""
    if not file:
        raise Http404
    return stored_file_response(file.storage, file.name, filename=filename, inline=inline)


def stored_file_response(storage, name: str, *, filename: str, inline: bool = False):
    """Stream ``name`` from ``storage``, never to be cached by others or sniffed for a type.

    The type comes from the extension the upload gate chose, never from the file's content;
    anything but an image is a download (``Content-Disposition: attachment``).
    """
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = PurePath(name).suffix.lower().lstrip(".")
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    as_attachment = not (inline and content_type.startswith("image/"))
    response = FileResponse(
        handle, as_attachment=as_attachment, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def move_files(model, field_names, *, to_private: bool) -> None:
    """Move the stored files of ``model``'s fields between public and private storage.

    Used by the migrations that made personal files private: a file uploaded before then is
    moved under the same name, so the rows that name it stay right. Missing files are skipped.
    """
    source, target = storages["default"], private_storage()
    if not to_private:
        source, target = target, source
    for field_name in field_names:
        names = (
            model.objects.exclude(**{field_name: ""})
            .values_list(field_name, flat=True)
            .order_by()
            .distinct()
        )
        for name in names.iterator():
            if not source.exists(name) or target.exists(name):
                continue
            with source.open(name, "rb") as handle:
                target.save(name, handle)
            source.delete(name)
