"""The one gate every uploaded file passes: images and PDFs, checked and stored under new names.

Images: allowed formats only, size cap, a pixel cap checked from the header before anything is
decoded (decompression bombs), Pillow's ``verify()``, then a full decode, an orientation fix
and a re-encode at a bounded size, which also drops metadata. PDFs: size cap and the ``%PDF-``
magic bytes plus an ``%%EOF`` trailer. Files are stored under ``<folder>/<year>/<random>.<ext>``
so no name that a person chose reaches the disk.
"""

import io
import logging
import uuid
from pathlib import PurePath

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_MAX_BYTES = 8 * 1024 * 1024
IMAGE_MAX_PIXELS = 40_000_000
PDF_MAX_BYTES = 15 * 1024 * 1024


@deconstructible
class UploadTo:
    """``upload_to`` that replaces the uploaded name with a random one.

    With ``extension`` the stored name ends in it whatever the uploader called the file, so
    the type a storage or a browser reads from the name is the one the gate checked.
    """

    def __init__(self, folder: str, extension: str | None = None):
        self.folder = folder
        self.extension = extension

    def __call__(self, instance, filename: str) -> str:
        extension = self.extension or PurePath(filename).suffix.lower().lstrip(".") or "bin"
        return f"{self.folder}/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and (other.folder, other.extension) == (
            self.folder,
            self.extension,
        )


def _size_of(upload) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    return size


def check_image(upload, *, max_bytes: int = IMAGE_MAX_BYTES) -> str:
    """Raise ``ValidationError`` unless ``upload`` is a real, sane image; return its format."""
    if _size_of(upload) > max_bytes:
        raise ValidationError(
            _("The image is too large: at most %(size)d MB.") % {"size": max_bytes // 2**20},
            code="too_large",
        )
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in IMAGE_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG, WebP or GIF image."), code="format")
            if width * height > IMAGE_MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels (%(width)d × %(height)d).")
                    % {"width": width, "height": height},
                    code="too_many_pixels",
                )
            image.verify()
        upload.seek(0)
        with Image.open(upload) as image:
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a valid image."), code="invalid_image") from None
    finally:
        upload.seek(0)
    return image_format


def process_image(upload, *, max_size: tuple[int, int] = (1600, 1600)) -> InMemoryUploadedFile:
    """Check ``upload`` and return it re-encoded, oriented and no larger than ``max_size``."""
    image_format = check_image(upload)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(max_size)
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        output = io.BytesIO()
        save_format = "PNG" if image_format == "GIF" else image_format
        image.save(output, format=save_format, optimize=True)
    extension = IMAGE_FORMATS[save_format]
    output.seek(0)
    return InMemoryUploadedFile(
        output,
        field_name=getattr(upload, "field_name", None),
        name=f"image.{extension}",
        content_type=Image.MIME[save_format],
        size=output.getbuffer().nbytes,
        charset=None,
    )


def check_pdf(upload, *, max_bytes: int = PDF_MAX_BYTES) -> None:
    """Raise ``ValidationError`` unless ``upload`` is a PDF document under the size cap."""
    size = _size_of(upload)
    if size > max_bytes:
        raise ValidationError(
            _("The document is too large: at most %(size)d MB.") % {"size": max_bytes // 2**20},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(max(0, size - 2048))
    tail = upload.read()
    upload.seek(0)
    if not head.lstrip().startswith(b"%PDF-") or b"%%EOF" not in tail:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")


class ImageFormField(forms.ImageField):
    """Form field that checks an image and hands on a resized, re-encoded copy."""

    def __init__(self, *args, max_size=(1600, 1600), **kwargs):
        self.max_size = max_size
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        data = forms.FileField.to_python(self, data)
        if data is None:
            return None
        return process_image(data, max_size=self.max_size)


class PdfFormField(forms.FileField):
    def to_python(self, data):
        data = super().to_python(data)
        if data is not None:
            check_pdf(data)
        return data


class CheckedImageField(models.ImageField):
    """An image stored under a random name, checked and resized by every form that edits it."""

    def __init__(self, *args, folder: str = "images", max_size=(1600, 1600), **kwargs):
        self.folder = folder
        self.max_size = tuple(max_size)
        kwargs.setdefault("upload_to", UploadTo(folder))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["folder"] = self.folder
        kwargs["max_size"] = list(self.max_size)
        kwargs.pop("upload_to", None)
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": ImageFormField, "max_size": self.max_size, **kwargs}
        )


class PdfField(models.FileField):
    """A PDF document stored under a random name, checked by every form that edits it."""

    def __init__(self, *args, folder: str = "documents", **kwargs):
        self.folder = folder
        kwargs.setdefault("upload_to", UploadTo(folder, extension="pdf"))
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["folder"] = self.folder
        kwargs.pop("upload_to", None)
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PdfFormField, **kwargs})


# --- Files no row names any more -------------------------------------------------------------


def _file_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, CheckedImageField | PdfField)
    ]


def _delete_after_commit(storage, name: str) -> None:
    def delete():
        try:
            storage.delete(name)
        except Exception as error:  # the storage is down: the file stays, nothing breaks
            logger.warning("Stored file %s not deleted: %s", name, error)

    transaction.on_commit(delete)


def _forget_replaced(sender, instance, raw=False, update_fields=None, **kwargs):
    fields = [
        field
        for field in _file_fields(sender)
        if update_fields is None or field.name in update_fields
    ]
    if raw or not fields or instance.pk is None:
        return
    before = sender._default_manager.filter(pk=instance.pk).values(*(f.attname for f in fields))
    before = before.first()
    if before is None:
        return
    for field in fields:
        old, new = before[field.attname], getattr(instance, field.attname).name
        if old and old != new:
            _delete_after_commit(field.storage, old)


def _forget_deleted(sender, instance, **kwargs):
    for field in _file_fields(sender):
        name = getattr(instance, field.attname).name
        if name:
            _delete_after_commit(field.storage, name)


def connect_file_cleanup() -> None:
    """Delete a stored file once no row names it: replaced (a new CV, a new logo) or its row
    deleted (a draft, a removed document). After the transaction commits, so a rolled-back
    change keeps its file; then the file's address stops working on every machine."""
    for model in apps.get_models():
        if _file_fields(model):
            uid = model._meta.label
            pre_save.connect(_forget_replaced, sender=model, dispatch_uid=f"files-{uid}-save")
            post_delete.connect(_forget_deleted, sender=model, dispatch_uid=f"files-{uid}-delete")
