import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)

from ciep.uploads import (
    IMAGE_MAX_PIXELS,
    ImageFormField,
    UploadTo,
    check_image,
    check_pdf,
    pixel_budget,
    process_image,
)
from exhibitions.models import Exhibitor
from tests.conftest import image_file, pdf_bytes, pdf_file


def test_real_image_is_resized_and_reencoded():
    result = process_image(image_file(size=(3000, 1500)), max_size=(600, 600))
    with Image.open(result) as image:
        assert image.size == (600, 300)
        assert image.format == "PNG"


def test_jpeg_with_alpha_is_converted():
    result = process_image(image_file(image_format="JPEG", name="a.jpg"))
    with Image.open(result) as image:
        assert image.mode == "RGB"


def test_text_file_named_png_is_rejected():
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile("x.png", b"hello"))
    assert error.value.code == "invalid_image"


def test_oversized_image_is_rejected():
    with pytest.raises(ValidationError) as error:
        check_image(image_file(), max_bytes=10)
    assert error.value.code == "too_large"


def test_decompression_bomb_is_rejected_before_decoding():
    # A tiny file that claims a huge canvas: a 1-bit PNG of 10,000 x 10,000 pixels.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, format="PNG")
    assert IMAGE_MAX_PIXELS < 10_000 * 10_000
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile("bomb.png", buffer.getvalue()))
    assert error.value.code == "too_many_pixels"


def test_disallowed_format_is_rejected():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as error:
        check_image(SimpleUploadedFile("x.bmp", buffer.getvalue()))
    assert error.value.code == "format"


def _action(kind: str, **entries) -> DictionaryObject:
    action = {NameObject("/S"): NameObject(kind)}
    for key, value in entries.items():
        action[NameObject(f"/{key}")] = TextStringObject(value)
    return DictionaryObject(action)


def _open_action(action):
    def build(writer):
        writer._root_object[NameObject("/OpenAction")] = action

    return build


def _javascript_names_tree(writer):
    script = writer._add_object(_action("/JavaScript", JS="app.alert(1)"))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})


def _annotation_with(key: str, action):
    def build(writer):
        annotation = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject([]),
                NameObject(key): action,
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annotation)])

    return build


def _escaped_names(data: bytes) -> bytes:
    """The same names written with #-escapes, which a reader decodes but a byte search misses."""
    return data.replace(b"/JS ", b"/J#53 ").replace(b"/JavaScript", b"/J#61vaScript")


def _with_compressed_action(action: bytes) -> bytes:
    """A PDF 1.5 whose opening action is compressed in an object stream, out of a byte
    search's sight, and found through a cross-reference stream."""
    inner = b"4 0 " + action
    first = len(b"4 0 ")
    packed = zlib.compress(inner)
    parts, offsets = [b"%PDF-1.5\n"], {}

    def add(number: int, body: bytes) -> None:
        offsets[number] = sum(map(len, parts))
        parts.append(b"%d 0 obj\n" % number + body + b"\nendobj\n")

    add(1, b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>")
    add(2, b"<< /Type /Pages /Kids [] /Count 0 >>")
    add(
        3,
        b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
        % (first, len(packed))
        + packed
        + b"\nendstream",
    )
    offsets[5] = sum(map(len, parts))
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 1, offsets[n], 0) for n in (1, 2, 3)]
    rows += [struct.pack(">BIH", 2, 3, 0), struct.pack(">BIH", 1, offsets[5], 0)]
    table = b"".join(rows)
    add(
        5,
        b"<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % len(table)
        + table
        + b"\nendstream",
    )
    parts.append(b"startxref\n%d\n%%%%EOF\n" % offsets[5])
    return b"".join(parts)


POLYGLOT = (
    b"%PDF-1.4\n<html><body><script>fetch('/accounts/email/', {credentials: 'include'})"
    b"</script></body></html>\n%%EOF\n"
)


def test_a_plain_pdf_is_accepted():
    check_pdf(pdf_file(content=pdf_bytes()))


def test_javascript_compressed_in_an_object_stream_is_found():
    check_pdf(pdf_file(content=_with_compressed_action(b"<< /S /GoTo /D [0 /Fit] >>")))
    content = _with_compressed_action(b"<< /S /JavaScript /JS (app.alert(1)) >>")
    assert b"JavaScript" not in content
    with pytest.raises(ValidationError) as error:
        check_pdf(pdf_file(content=content))
    assert error.value.code == "pdf_javascript"


@pytest.mark.parametrize(
    "content, code",
    [
        (pdf_bytes(_open_action(_action("/JavaScript", JS="app.alert(1)"))), "pdf_javascript"),
        (_escaped_names(pdf_bytes(_open_action(_action("/JavaScript", JS="x")))), "pdf_javascript"),
        (pdf_bytes(_javascript_names_tree), "pdf_javascript"),
        (pdf_bytes(_annotation_with("/A", _action("/JavaScript", JS="x"))), "pdf_javascript"),
        (pdf_bytes(_annotation_with("/AA", _action("/JavaScript", JS="x"))), "pdf_javascript"),
        (pdf_bytes(_open_action(_action("/Launch", F="calc.exe"))), "pdf_launch"),
        (pdf_bytes(lambda writer: writer.add_attachment("a.exe", b"MZ")), "pdf_embedded"),
        (pdf_bytes(lambda writer: writer.encrypt("secret", algorithm="RC4-128")), "pdf_encrypted"),
        (POLYGLOT, "not_pdf"),
        (b"%PDF-1.7\n" + b"\x00" * 4096 + b"\n%%EOF\n", "not_pdf"),
        (pdf_bytes()[:300] + b"\n%%EOF\n", "not_pdf"),
    ],
    ids=[
        "open-action-javascript",
        "escaped-javascript",
        "names-tree-javascript",
        "link-javascript",
        "additional-action-javascript",
        "launch",
        "embedded-file",
        "encrypted",
        "html-polyglot",
        "zeros",
        "truncated",
    ],
)
def test_a_pdf_with_active_content_or_not_parseable_is_refused(content, code):
    with pytest.raises(ValidationError) as error:
        check_pdf(pdf_file(content=content))
    assert error.value.code == code


def test_a_pdf_with_an_xfa_form_or_rich_media_is_refused():
    def xfa(writer):
        form = DictionaryObject({NameObject("/Fields"): ArrayObject([])})
        form[NameObject("/XFA")] = TextStringObject("<xdp:xdp/>")
        writer._root_object[NameObject("/AcroForm")] = form

    def rich_media(writer):
        _annotation_with("/Subtype", NameObject("/RichMedia"))(writer)

    for build, code in ((xfa, "pdf_xfa"), (rich_media, "pdf_rich_media")):
        with pytest.raises(ValidationError) as error:
            check_pdf(pdf_file(content=pdf_bytes(build)))
        assert error.value.code == code


def test_a_pdf_with_too_many_pages_is_refused(monkeypatch):
    monkeypatch.setattr("ciep.uploads.PDF_MAX_PAGES", 2)

    def three_pages(writer):
        writer.add_blank_page(595, 842)
        writer.add_blank_page(595, 842)

    check_pdf(pdf_file(content=pdf_bytes(lambda writer: writer.add_blank_page(595, 842))))
    with pytest.raises(ValidationError) as error:
        check_pdf(pdf_file(content=pdf_bytes(three_pages)))
    assert error.value.code == "too_many_pages"


def test_pdf_checks():
    check_pdf(pdf_file())
    with pytest.raises(ValidationError):
        check_pdf(SimpleUploadedFile("x.pdf", b"MZ\x90\x00 executable"))
    with pytest.raises(ValidationError):
        check_pdf(pdf_file(), max_bytes=10)


def test_upload_to_ignores_the_uploaded_name():
    name = UploadTo("logos")(None, "../../etc/passwd name.PNG")
    assert name.startswith("logos/") and name.endswith(".png") and ".." not in name


def test_a_checked_pdf_is_stored_as_pdf_whatever_its_name():
    from ciep.uploads import PdfField

    upload_to = PdfField(folder="exhibitors/brochures").upload_to
    assert upload_to(None, "evil.html").endswith(".pdf")
    assert upload_to(None, "brochure.SVG").startswith("exhibitors/brochures/")
    assert upload_to(None, "noextension").endswith(".pdf")


def _png(size) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (250, 250, 250)).save(buffer, format="PNG")
    return SimpleUploadedFile("big.png", buffer.getvalue(), content_type="image/png")


def test_a_huge_png_of_few_bytes_is_refused_for_a_logo_but_not_for_a_gallery():
    upload = _png((4800, 4000))
    assert upload.size < 100_000 and IMAGE_MAX_PIXELS > 4800 * 4000
    logo_field = Exhibitor._meta.get_field("logo").formfield()
    with pytest.raises(ValidationError) as error:
        logo_field.clean(upload)
    assert error.value.code == "too_many_pixels"
    assert error.value.messages == [
        "The image is far larger than needed here (4800 × 4000 pixels): "
        "scale it down to at most 4.2 million pixels."
    ]
    with Image.open(ImageFormField(max_size=(1600, 1200)).clean(_png((4800, 4000)))) as image:
        assert image.size == (1440, 1200)


def test_pixel_budget_is_sixteen_times_the_field_within_the_cap():
    assert pixel_budget((512, 512)) == 512 * 512 * 16
    assert pixel_budget((1600, 1200)) == IMAGE_MAX_PIXELS


def test_a_large_jpeg_photo_is_decoded_downscaled_and_accepted_for_a_small_field():
    # 12 million pixels as stored, over a speaker photo's budget (5.8 million), but a JPEG is
    # decoded here at a quarter of each side: 1000 x 750.
    assert pixel_budget((600, 600)) < 4000 * 3000
    upload = image_file("photo.jpg", size=(4000, 3000), image_format="JPEG")
    with Image.open(process_image(upload, max_size=(600, 600))) as image:
        assert (image.format, image.size) == ("JPEG", (600, 450))


def test_a_turned_jpeg_is_stored_upright():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # shown turned a quarter clockwise
    Image.new("RGB", (4000, 3000), (10, 20, 30)).save(buffer, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("turned.jpg", buffer.getvalue(), content_type="image/jpeg")
    with Image.open(process_image(upload, max_size=(1600, 1200))) as image:
        assert image.size == (900, 1200)


@pytest.mark.django_db
def test_make_thumbnails_fills_in_old_rows_and_a_logo_stored_anew_gets_a_new_thumbnail(
    edition,
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import storages
    from django.core.management import call_command

    from tests.exhibitions.factories import ExhibitorFactory

    exhibitor = ExhibitorFactory(edition=edition)
    old = storages["default"].save("exhibitors/logos/2019/a.png", ContentFile(image_file().read()))
    Exhibitor.objects.filter(pk=exhibitor.pk).update(logo=old)
    exhibitor.refresh_from_db()
    assert exhibitor.logo_thumbnail.name == ""
    output = io.StringIO()
    call_command("make_thumbnails", stdout=output)
    assert output.getvalue() == "exhibitions.Exhibitor: 1 thumbnail(s) made.\n"
    exhibitor.refresh_from_db()
    assert exhibitor.logo_thumbnail.name == exhibitor.logo.name.removesuffix(".png") + ".thumb.webp"
    call_command("make_thumbnails", stdout=output)
    assert output.getvalue() == "exhibitions.Exhibitor: 1 thumbnail(s) made.\n"

    # Stored directly under a new name (as the demo does), then saved: a new thumbnail.
    exhibitor.logo.save("other.png", ContentFile(image_file(size=(100, 200)).read()))
    exhibitor.refresh_from_db()
    assert exhibitor.logo_thumbnail.name == exhibitor.logo.name.removesuffix(".png") + ".thumb.webp"
    with Image.open(exhibitor.logo_thumbnail) as image:
        assert image.size == (96, 96)


@pytest.mark.django_db
def test_a_first_logo_stored_directly_gets_its_thumbnail(edition):
    from django.core.files.base import ContentFile

    from tests.exhibitions.factories import ExhibitorFactory

    exhibitor = ExhibitorFactory(edition=edition)
    exhibitor.logo.save("logo.png", ContentFile(image_file().read()))
    exhibitor.refresh_from_db()
    assert exhibitor.logo_thumbnail.name == exhibitor.logo.name.removesuffix(".png") + ".thumb.webp"
