import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ciep.uploads import IMAGE_MAX_PIXELS, UploadTo, check_image, check_pdf, process_image
from tests.conftest import image_file, pdf_file


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
