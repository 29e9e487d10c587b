"""Pictures for the demo and synthetic editions, drawn with Pillow (nothing is fetched).

Logos are an organisation's initials in both scripts on a colour derived from its name;
banners, speakers' portraits (abstract avatars) and product photos are shapes in colours
derived from what they show. The same name always gives the same picture. Each function
returns the bytes of a PNG (logos, portraits) or a JPEG (banners, photos); ``as_file`` wraps
them for a ``FileField.save``, ``attach`` stores them for a row inserted in bulk.
"""

import colorsys
import functools
import hashlib
import io
import random
import re
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont

# A face with Chinese characters (Debian's fonts-wqy-microhei), then Latin-only ones; without
# any, Pillow's own face draws the Latin initials and the Chinese ones are left out.
FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
)
SMALL_WORDS = {"of", "the", "and", "for", "in", "at", "on", "de", "&"}


def _seed(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big")


def luminance(colour) -> float:
    """The relative luminance of an sRGB colour (WCAG)."""

    def linear(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def colour_of(name: str, lightness: float = 0.38) -> tuple[int, int, int]:
    """A colour for ``name``: its hue from the name; at the default lightness, darkened until
    white text on it has a contrast of at least 4.5:1."""
    hue = (_seed(name) % 360) / 360
    while True:
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.55)
        colour = round(red * 255), round(green * 255), round(blue * 255)
        if lightness > 0.38 or 1.05 / (luminance(colour) + 0.05) >= 4.5:
            return colour
        lightness -= 0.02


def _shade(colour, factor: float) -> tuple[int, int, int]:
    return tuple(max(0, min(255, round(channel * factor))) for channel in colour)


@functools.cache
def _font_path() -> str | None:
    return next((path for path in FONT_PATHS if Path(path).exists()), None)


@functools.cache
def _font(size: int):
    path = _font_path()
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def _has_chinese_face() -> bool:
    path = _font_path() or ""
    return "wqy" in path or "CJK" in path


def initials(name_en: str, name_zh: str = "") -> tuple[str, str]:
    """Up to three Latin initials (small words and numbers left out) and the first two
    Chinese characters of the name."""
    words = [word for word in re.split(r"[\s\-/()]+", name_en) if word]
    letters = [w[0] for w in words if w.lower() not in SMALL_WORDS and w[0].isalpha()]
    latin = "".join(letters[:3]).upper() or name_en[:1].upper()
    chinese = "".join(char for char in name_zh if "\u4e00" <= char <= "\u9fff")[:2]
    return latin, chinese


def _centred(draw, box, text: str, font, fill) -> None:
    left, top, right, bottom = box
    x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=font)
    x = left + (right - left - (x1 - x0)) / 2 - x0
    y = top + (bottom - top - (y1 - y0)) / 2 - y0
    draw.text((x, y), text, font=font, fill=fill)


def _png(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def _jpeg(image: Image.Image) -> bytes:
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=82, optimize=True)
    return output.getvalue()


def extension(data: bytes) -> str:
    return "jpg" if data[:2] == b"\xff\xd8" else "png"


def as_file(data: bytes, name: str = "image") -> ContentFile:
    """``data`` as a file to store, named with the extension of its format."""
    return ContentFile(data, name=f"{name.rsplit('.', 1)[0]}.{extension(data)}")


@functools.lru_cache(maxsize=512)
def logo(name_en: str, name_zh: str = "", size: int = 256) -> bytes:
    """A square logo: the Latin initials large, the Chinese ones below, on the name's colour."""
    colour = colour_of(name_en)
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image)
    inset = size // 12
    draw.rounded_rectangle(
        (inset, inset, size - inset, size - inset),
        radius=size // 6,
        outline=_shade(colour, 1.6),
        width=max(2, size // 40),
    )
    latin, chinese = initials(name_en, name_zh)
    if chinese and _has_chinese_face():
        _centred(draw, (0, size * 0.12, size, size * 0.62), latin, _font(size * 3 // 10), "white")
        _centred(draw, (0, size * 0.58, size, size * 0.86), chinese, _font(size // 6), "white")
    else:
        _centred(draw, (0, 0, size, size), latin, _font(size * 3 // 8), "white")
    return _png(image)


@functools.lru_cache(maxsize=512)
def banner(name_en: str, name_zh: str = "", size: tuple[int, int] = (1200, 300)) -> bytes:
    """A wide banner: a gradient of the name's colour crossed by circles and bands."""
    width, height = size
    colour = colour_of(name_en)
    rng = random.Random(_seed(name_en))
    image = Image.linear_gradient("L").rotate(90).resize(size)
    image = Image.merge(
        "RGB",
        [
            band.point(lambda v, c=c: round(c * (0.55 + 0.45 * v / 255)))
            for band, c in zip((image, image, image), colour, strict=True)
        ],
    )
    draw = ImageDraw.Draw(image, "RGBA")
    for _circle in range(6):
        radius = rng.randrange(height // 4, height)
        x, y = rng.randrange(width // 3, width), rng.randrange(-height // 2, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 28))
    for band in range(3):
        x = width // 2 + band * width // 7
        draw.polygon(
            [(x, 0), (x + height // 3, 0), (x - height // 2, height), (x - height, height)],
            fill=(255, 255, 255, 18),
        )
    text = name_zh if name_zh and _has_chinese_face() else name_en
    draw.text((height // 4, height // 3), name_en, font=_font(height // 7), fill="white")
    if text != name_en:
        draw.text((height // 4, height // 3 + height // 5), text, font=_font(height // 9))
    return _jpeg(image)


def portrait(name: str, size: int = 320) -> bytes:
    """An abstract avatar: head and shoulders in a lighter tone on the name's colour."""
    colour = colour_of(name, lightness=0.45)
    rng = random.Random(_seed(name))
    image = Image.new("RGB", (size, size), colour)
    draw = ImageDraw.Draw(image, "RGBA")
    for _ring in range(3):
        radius = rng.randrange(size // 3, size)
        x, y = rng.randrange(size), rng.randrange(size)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(255, 255, 255, 20))
    skin = _shade(colour_of(name[::-1], lightness=0.75), 1.0)
    head = size * 0.19
    centre = size / 2
    draw.ellipse(
        (centre - size * 0.34, size * 0.62, centre + size * 0.34, size * 1.3),
        fill=_shade(colour, 0.6),
    )
    draw.ellipse((centre - head, size * 0.22, centre + head, size * 0.22 + 2 * head), fill=skin)
    return _png(image)


@functools.lru_cache(maxsize=256)
def product(name_en: str, size: tuple[int, int] = (600, 450)) -> bytes:
    """A product shot: an object (a box, a disc or a device) on a soft floor and its shadow."""
    width, height = size
    colour = colour_of(name_en, lightness=0.5)
    rng = random.Random(_seed(name_en))
    image = Image.new("RGB", size, _shade(colour_of(name_en, lightness=0.92), 1.0))
    draw = ImageDraw.Draw(image, "RGBA")
    floor = height * 0.72
    draw.rectangle((0, floor, width, height), fill=(0, 0, 0, 18))
    centre = width / 2
    draw.ellipse(
        (centre - width * 0.25, floor - 12, centre + width * 0.25, floor + 18), fill=(0, 0, 0, 40)
    )
    shape = rng.randrange(3)
    box = (centre - width * 0.2, height * 0.2, centre + width * 0.2, floor)
    if shape == 0:
        draw.rounded_rectangle(box, radius=width // 30, fill=colour)
        draw.rectangle((box[0], box[1], box[2], box[1] + height * 0.08), fill=_shade(colour, 1.3))
    elif shape == 1:
        draw.ellipse((box[0], box[1] - 10, box[2], box[3]), fill=colour)
        draw.ellipse(
            (centre - width * 0.08, height * 0.35, centre + width * 0.08, height * 0.55),
            fill=_shade(colour, 1.4),
        )
    else:
        draw.rounded_rectangle(box, radius=width // 12, fill=_shade(colour, 0.7))
        inner = (box[0] + 14, box[1] + 14, box[2] - 14, box[3] - 40)
        draw.rounded_rectangle(inner, radius=width // 30, fill=_shade(colour, 1.5))
    return _jpeg(image)


_thumbnails: dict[tuple, bytes] = {}


def attach(instance, field_name: str, data: bytes) -> None:
    """Store ``data`` as the image of ``instance``'s ``field_name`` (and the thumbnails made
    from it) without saving the row, for rows inserted in bulk, which send no signals. Each row
    gets files of its own, so deleting one row deletes only its files; a thumbnail is made once
    for each distinct picture."""
    from ciep.uploads import ThumbnailField

    field = instance._meta.get_field(field_name)
    filename = field.generate_filename(instance, f"image.{extension(data)}")
    name = field.storage.save(filename, as_file(data))
    setattr(instance, field.attname, name)
    for thumbnail in instance._meta.concrete_fields:
        if isinstance(thumbnail, ThumbnailField) and thumbnail.source == field_name:
            key = (thumbnail.size, thumbnail.crop, hashlib.sha256(data).digest())
            if key not in _thumbnails:
                _thumbnails[key] = thumbnail.make(io.BytesIO(data)).read()
            stem = Path(name).with_suffix("").as_posix()
            stored = thumbnail.storage.save(f"{stem}.thumb.webp", as_file(_thumbnails[key]))
            setattr(instance, thumbnail.attname, stored)
