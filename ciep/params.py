"""Reading ids and numbers from query strings and forms, where anything may have been typed."""


def as_id(value) -> int | None:
    """``value`` as a positive whole number written in ASCII digits, else ``None``.

    ``str.isdigit`` also accepts superscripts and other digits ``int`` refuses (``"⁰⁴⁵"``),
    and a lookup by a non-numeric id raises, so every id from a request is read here.
    """
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    number = int(text)
    return number or None
