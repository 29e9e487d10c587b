"""The one gate every uploaded file passes: images and PDFs, checked and stored under new names.

Images: allowed formats only, size cap, a pixel cap and a per-field pixel budget checked from
the header before anything is decoded (decompression bombs), Pillow's ``verify()``, then one
decode (a JPEG already downscaled), an orientation fix and a re-encode at a bounded size, which
also drops metadata. PDFs: size cap, the ``%PDF-`` magic bytes plus an ``%%EOF`` trailer, then
a full parse by pypdf that refuses encrypted documents and any JavaScript, launch action,
embedded file, rich media or XFA form. Files are stored under ``<folder>/<year>/<random>.<ext>``
so no name that a person chose reaches the disk.
"""

import io
import logging
import re
import uuid
from pathlib import PurePath

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.db import models, transaction
from django.db.models.signals import post_delete, pre_save
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import IndirectObject, NameObject

logger = logging.getLogger(__name__)

IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
IMAGE_MAX_BYTES = 8 * 1024 * 1024
# No image decodes to more pixels than this, whatever the field (a large photograph).
IMAGE_MAX_PIXELS = 25_000_000
# A field's own budget: this many times the area it stores (``pixel_budget``).
IMAGE_BUDGET_FACTOR = 16
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


def pixel_budget(max_size: tuple[int, int]) -> int:
    """The most pixels an image may decode to for a field that keeps it at ``max_size``.

    Sixteen times the field's area (four times each side) leaves room for any picture a person
    would choose, while a decompression bomb (a few kilobytes that claim millions of pixels)
    is refused from its header before a byte of it is decoded.
    """
    return min(max_size[0] * max_size[1] * IMAGE_BUDGET_FACTOR, IMAGE_MAX_PIXELS)


def _decoded_size(image, max_size) -> tuple[int, int]:
    """The size ``image`` decodes at: a JPEG is decoded downscaled (by 2, 4 or 8) when the
    field keeps it much smaller anyway, so its cost is that of the smaller picture."""
    if image.format == "JPEG" and max_size is not None:
        box = max_size
        if image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8):
            box = (max_size[1], max_size[0])  # shown turned a quarter: the box turns too
        image.draft(None, box)
    return image.size


def check_image(upload, *, max_bytes: int = IMAGE_MAX_BYTES, max_size=None) -> str:
    """Raise ``ValidationError`` unless ``upload`` is a real, sane image; return its format.

    Reads the header and verifies the file's structure without decoding its pixels. With
    ``max_size`` (the field's largest stored size) the image must also fit that field's pixel
    budget (``pixel_budget``), counted at the size a JPEG would be decoded at.
    """
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
            if max_size is not None:
                decoded_width, decoded_height = _decoded_size(image, max_size)
                budget = pixel_budget(max_size)
                if decoded_width * decoded_height > budget:
                    raise ValidationError(
                        _(
                            "The image is far larger than needed here (%(width)d × %(height)d "
                            "pixels): scale it down to at most %(megapixels)s million pixels."
                        )
                        % {
                            "width": width,
                            "height": height,
                            "megapixels": f"{budget / 1e6:.1f}",
                        },
                        code="too_many_pixels",
                    )
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a valid image."), code="invalid_image") from None
    finally:
        upload.seek(0)
    return image_format


def process_image(upload, *, max_size: tuple[int, int] = (1600, 1600)) -> InMemoryUploadedFile:
    """Check ``upload`` and return it re-encoded, oriented and no larger than ``max_size``.

    The pixels are decoded once, a JPEG already downscaled (``Image.draft``), turned in place
    and reduced by whole factors before the final resampling (``reducing_gap``), so an image
    at the top of its budget costs a few times the stored picture, not the full canvas twice.
    """
    image_format = check_image(upload, max_size=max_size)
    try:
        with Image.open(upload) as image:
            _decoded_size(image, max_size)
            image.load()
            ImageOps.exif_transpose(image, in_place=True)
            image.thumbnail(max_size, reducing_gap=2.0)
            if image_format == "JPEG" and image.mode not in ("RGB", "L"):
                image = image.convert("RGB")
            output = io.BytesIO()
            save_format = "PNG" if image_format == "GIF" else image_format
            image.save(output, format=save_format, optimize=True)
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("This file is not a valid image."), code="invalid_image") from None
    finally:
        upload.seek(0)
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
    """Raise ``ValidationError`` unless ``upload`` is a plain PDF document under the size cap.

    The magic bytes are a fast first gate; then pypdf must parse the whole document (within
    bounds on objects and pages), which refuses a polyglot that only looks like a PDF at its
    ends. A document that is encrypted, runs JavaScript, launches programs, carries files or
    rich media, or is an XFA form is refused: a reader could act on any of them when opened.
    """
    size = _size_of(upload)
    if size > max_bytes:
        raise ValidationError(
            _("The document is too large: at most %(size)d MB.") % {"size": max_bytes // 2**20},
            code="too_large",
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if not data[:1024].lstrip().startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf")
    try:
        kind = _pdf_active_content(data)
    except ValidationError:
        raise
    except Exception:  # pypdf raises many kinds of error on a broken file; each means "not a PDF"
        raise ValidationError(_("This file is not a PDF document."), code="not_pdf") from None
    if kind is not None:
        raise ValidationError(PDF_REFUSALS[kind], code=f"pdf_{kind}")


PDF_MAX_OBJECTS = 20_000
PDF_MAX_PAGES = 2_000

# What a PDF may not contain, and why it is refused, by kind.
PDF_REFUSALS = {
    "encrypted": _(
        "The document is encrypted or protected by a password: upload it without protection."
    ),
    "javascript": _("The document contains JavaScript, which is not allowed."),
    "launch": _("The document contains an action that launches a program, which is not allowed."),
    "embedded": _("The document contains embedded or attached files, which are not allowed."),
    "rich_media": _("The document contains rich media (Flash, video or 3D), which is not allowed."),
    "xfa": _("The document is an XFA form, which is not allowed: save it as a plain PDF."),
}
# Dictionary keys, and name values (/S, /Type, /Subtype), that mark active or attached content.
_PDF_KEYS = {
    "/JS": "javascript",
    "/JavaScript": "javascript",
    "/EmbeddedFiles": "embedded",
    "/EF": "embedded",
    "/RichMediaContent": "rich_media",
    "/RichMediaSettings": "rich_media",
    "/XFA": "xfa",
}
_PDF_NAMES = {
    "/JavaScript": "javascript",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded",
    "/FileAttachment": "embedded",
    "/RichMedia": "rich_media",
}
# The same names in the raw bytes, which also finds them in objects no cross-reference lists.
_PDF_RAW_KINDS = {name[1:].encode(): kind for name, kind in {**_PDF_NAMES, **_PDF_KEYS}.items()}
_PDF_RAW_NAMES = re.compile(
    rb"/("
    + b"|".join(re.escape(name) for name in sorted(_PDF_RAW_KINDS, key=len, reverse=True))
    + rb")(?=[\s/<>\[\]()%{}]|$)"
)
_PDF_ESCAPED_NAME = re.compile(rb"/[^\s/<>\[\]()%{}#]*#[0-9A-Fa-f]{2}")


def _pdf_active_content(data: bytes) -> str | None:
    """The kind of forbidden content in the PDF ``data`` (a ``PDF_REFUSALS`` key), or None.

    Raises whatever pypdf raises on a file it cannot parse, and ``ValidationError`` on one too
    large to check. The names are searched in the raw bytes first (which also finds objects no
    cross-reference lists), then every object pypdf must decode to see is read: those inside
    object streams, and all of them when a name is written with #-escapes. Each object's direct
    contents are walked; references are not followed, since each object is read in its turn.
    """
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        return "encrypted"
    numbers = [
        (number, generation)
        for generation, objects in reader.xref.items()
        for number in objects
        if number not in reader.xref_objStm
    ]
    compressed = [(number, 0) for number in reader.xref_objStm]
    if len(numbers) + len(compressed) > PDF_MAX_OBJECTS:
        raise ValidationError(
            _("The document is too complex to check: it has more than %(count)d objects.")
            % {"count": PDF_MAX_OBJECTS},
            code="too_complex",
        )
    if len(reader.pages) > PDF_MAX_PAGES:
        raise ValidationError(
            _("The document has too many pages: at most %(count)d.") % {"count": PDF_MAX_PAGES},
            code="too_many_pages",
        )
    if reader.trailer.get("/Root") is None:
        raise PdfReadError("no document catalogue")
    found = _PDF_RAW_NAMES.search(data)
    if found:
        return _PDF_RAW_KINDS[found.group(1)]
    # The byte search has seen every name of the uncompressed objects unless one is written
    # with #-escapes; objects inside object streams are compressed and must be read.
    if not _PDF_ESCAPED_NAME.search(data):
        numbers = []
    pending = [reader.trailer]
    pending += [reader.get_object(IndirectObject(n, g, reader)) for n, g in numbers + compressed]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in _PDF_KEYS:
                    return _PDF_KEYS[key]
                if not isinstance(value, IndirectObject):
                    pending.append(value)
        elif isinstance(item, list):
            pending.extend(value for value in item if not isinstance(value, IndirectObject))
        elif isinstance(item, NameObject) and item in _PDF_NAMES:
            return _PDF_NAMES[item]
    return None


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


class ThumbnailField(models.FileField):
    """A smaller copy of the image in the field ``source``, made once when a new image is saved.

    Its stored name is the original's with ``.thumb.webp`` for its extension. The copy has
    exactly ``size``: the whole image fitted and padded with transparency (``crop=False``, for
    logos) or the middle of it cropped to fill (``crop=True``, for photos), so pages can give
    its width and height. Rows saved before a thumbnail existed have none: templates show the
    original then. Declare it after its source field, so that the original's name is known
    when the thumbnail's is derived from it.
    """

    def __init__(self, *args, source: str = "", size=(160, 160), crop: bool = True, **kwargs):
        self.source = source
        self.size = tuple(size)
        self.crop = crop
        kwargs.setdefault("upload_to", self.thumbnail_name)
        kwargs.setdefault("max_length", 220)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def thumbnail_name(self, instance, filename: str) -> str:
        original = getattr(instance, self.source)
        if original and original._committed:
            return f"{PurePath(original.name).with_suffix('').as_posix()}.thumb.webp"
        return UploadTo(f"{self.source}-thumbnails", extension="webp")(instance, filename)

    @staticmethod
    def belongs_to(thumbnail, original) -> bool:
        """Whether ``thumbnail`` was made from ``original`` (a storage may add to its name)."""
        return thumbnail.name.startswith(f"{PurePath(original.name).with_suffix('').as_posix()}.")

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.update(source=self.source, size=list(self.size), crop=self.crop)
        for key in ("upload_to", "max_length", "blank", "editable"):
            kwargs.pop(key, None)
        return name, path, args, kwargs

    def make(self, image_file) -> ContentFile:
        """The thumbnail of the (already checked and re-encoded) image in ``image_file``."""
        image_file.seek(0)
        try:
            with Image.open(image_file) as image:
                image.draft("RGB", self.size)
                image = image.convert("RGBA")
                if self.crop:
                    image = ImageOps.fit(image, self.size, method=Image.Resampling.LANCZOS)
                else:
                    image = ImageOps.pad(
                        image, self.size, method=Image.Resampling.LANCZOS, color=(0, 0, 0, 0)
                    )
                output = io.BytesIO()
                image.save(output, format="WEBP", quality=82, method=4)
        finally:
            image_file.seek(0)
        return ContentFile(output.getvalue(), name="thumbnail.webp")


def _thumbnail_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, ThumbnailField)]


def _make_thumbnails(sender, instance, raw=False, update_fields=None, **kwargs):
    """A new image gets its thumbnail, a removed one loses it (deleted after commit).

    A new image is usually still in memory (a form's upload). One already stored under a new
    name (``FieldFile.save``) is read back; a thumbnail that cannot be made is dropped rather
    than left showing the previous picture. Rows saved before thumbnails existed are left to
    ``make_thumbnails``, even when saved again.
    """
    if raw:
        return
    for field in _thumbnail_fields(sender):
        if update_fields is not None and field.source not in update_fields:
            continue
        original, thumbnail = getattr(instance, field.source), getattr(instance, field.attname)
        if not original:
            setattr(instance, field.attname, "")
            continue
        if original._committed:
            if thumbnail and field.belongs_to(thumbnail, original):
                continue
            if not thumbnail and not _stored_anew(sender, instance, field.source, original.name):
                continue  # a row saved before thumbnails existed, saved again
        try:
            if original._committed:
                with original.open("rb") as handle:
                    made = field.make(io.BytesIO(handle.read()))
            else:
                made = field.make(original.file)
        except Exception as error:  # the original is saved; pages show it in full instead
            logger.warning("No thumbnail for %s: %s", instance._meta.label, error)
            made = ""
        setattr(instance, field.attname, made)


def _stored_anew(model, instance, field_name: str, name: str) -> bool:
    """Whether ``name`` is new to the row: its row is new or names another file so far."""
    if instance._state.adding or instance.pk is None:
        return True
    before = model._default_manager.filter(pk=instance.pk).values_list(field_name, flat=True)
    return before.first() != name


def make_missing_thumbnails(model) -> int:
    """Make the thumbnails that rows saved before thumbnails existed lack; return how many."""
    made = 0
    for field in _thumbnail_fields(model):
        rows = model._default_manager.filter(**{field.name: ""}).exclude(**{field.source: ""})
        for row in rows.iterator():
            original = getattr(row, field.source)
            try:
                with original.open("rb") as handle:
                    thumbnail = field.make(io.BytesIO(handle.read()))
            except Exception as error:
                logger.warning("No thumbnail for %s %s: %s", model._meta.label, row.pk, error)
                continue
            name = field.thumbnail_name(row, thumbnail.name)
            setattr(row, field.attname, field.storage.save(name, thumbnail))
            model._default_manager.filter(pk=row.pk).update(
                **{field.attname: getattr(row, field.attname).name}
            )
            made += 1
    return made


# --- Files no row names any more -------------------------------------------------------------


def _file_fields(model) -> list:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, CheckedImageField | PdfField | ThumbnailField)
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
    change keeps its file; then the file's address stops working on every machine. A new
    image gets its thumbnails first, so that the thumbnails it replaces go the same way."""
    for model in apps.get_models():
        if _file_fields(model):
            uid = model._meta.label
            if _thumbnail_fields(model):  # first: the thumbnail it replaces is then forgotten
                pre_save.connect(_make_thumbnails, sender=model, dispatch_uid=f"thumbs-{uid}")
            pre_save.connect(_forget_replaced, sender=model, dispatch_uid=f"files-{uid}-save")
            post_delete.connect(_forget_deleted, sender=model, dispatch_uid=f"files-{uid}-delete")
