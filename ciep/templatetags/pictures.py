"""``{% picture %}``: the one way templates show an uploaded image.

``{% picture exhibitor.logo alt=name width=48 height=48 %}`` gives an ``<img>`` with its width
and height set (no layout shift), the thumbnail made at upload as ``src`` and, in ``srcset``,
the thumbnail and the original by width, so that a browser on a dense screen or a wide column
takes the original (unless the thumbnail is twice as wide as shown); ``lazy=True`` (for
pictures below the fold) adds ``loading="lazy"``.
Without a thumbnail (a row saved before thumbnails existed) the original alone is shown.
``link=True`` wraps the picture in a link to the original.
"""

from django import template
from django.utils.html import format_html

from ciep.uploads import ThumbnailField

register = template.Library()


def _thumbnail_of(image):
    """The thumbnail field and file made from ``image`` (a FieldFile), or (None, None)."""
    instance, name = image.instance, image.field.name
    for field in instance._meta.concrete_fields:
        if isinstance(field, ThumbnailField) and field.source == name:
            thumbnail = getattr(instance, field.attname)
            if thumbnail and field.belongs_to(thumbnail, image):
                return field, thumbnail
            return field, None
    return None, None


@register.simple_tag
def picture(
    image,
    *,
    alt: str = "",
    width: int | None = None,
    height: int | None = None,
    sizes: str = "",
    lazy: bool = False,
    css_class: str = "",
    link: bool = False,
):
    if not image:
        return ""
    field, thumbnail = _thumbnail_of(image)
    original_width = getattr(image.field, "max_size", (None,))[0]
    if thumbnail:
        shown_width, shown_height = width or field.size[0], height or field.size[1]
        src = thumbnail.url
        srcset = ""
        if field.size[0] < 2 * shown_width:
            # A thumbnail at least twice as wide as shown is sharp on every screen; a smaller
            # one leaves the original (stored at most ``max_size`` wide) to wide or dense ones.
            srcset = f"{thumbnail.url} {field.size[0]}w, {image.url} {original_width}w"
        sizes = sizes or f"{shown_width}px"
    else:
        shown_width, shown_height = width, height
        src, srcset, sizes = image.url, "", ""
    markup = format_html(
        '<img src="{}"{}{} alt="{}"{}{}{} decoding="async"{}>',
        src,
        format_html(' srcset="{}"', srcset) if srcset else "",
        format_html(' sizes="{}"', sizes) if srcset else "",
        alt,
        format_html(' width="{}"', shown_width) if shown_width else "",
        format_html(' height="{}"', shown_height) if shown_height else "",
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' loading="lazy"') if lazy else "",
    )
    if link:
        return format_html('<a href="{}">{}</a>', image.url, markup)
    return markup
