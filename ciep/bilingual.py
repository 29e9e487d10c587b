"""One mechanism for bilingual content, shared by every app.

A public text is stored twice, ``<name>_en`` and ``<name>_zh``; the model declares
``<name> = Bilingual()`` and templates print ``{{ obj.<name> }}``: the visitor's language, or
the other one when that is empty.
"""

from django.db.models import Q
from django.utils.translation import get_language


def is_chinese(language: str | None = None) -> bool:
    return (language or get_language() or "en").lower().startswith("zh")


def language_suffixes(language: str | None = None) -> tuple[str, str]:
    """The column suffixes in the order a visitor of ``language`` wants them."""
    return ("zh", "en") if is_chinese(language) else ("en", "zh")


class Bilingual:
    """Descriptor returning the visitor's version of a text, with a fallback to the other."""

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        first, second = language_suffixes()
        return getattr(instance, f"{self.name}_{first}") or getattr(
            instance, f"{self.name}_{second}"
        )


def shown_language(instance, name: str, language: str | None = None) -> str | None:
    """The language (as HTML's ``lang`` names it) of the text ``Bilingual`` shows for
    ``instance.<name>`` to a reader of ``language``, or None when both are empty."""
    first, second = language_suffixes(language)
    for suffix in (first, second):
        if getattr(instance, f"{name}_{suffix}", None):
            return "zh-Hans" if suffix == "zh" else "en"
    return None


def edition_ordinal(number: int, language: str | None = None) -> str:
    """An edition by its number as each language says it: "21st edition", "第21届"."""
    if is_chinese(language):
        return f"第{number}届"
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix} edition"


def bilingual_search(query: str, *names: str) -> Q:
    """A filter matching ``query`` in either language of any of the given texts."""
    condition = Q()
    for name in names:
        condition |= Q(**{f"{name}_en__icontains": query}) | Q(**{f"{name}_zh__icontains": query})
    return condition


def matching(model, query: str, *names: str, path: str = "pk", via: str = "pk") -> Q:
    """Rows whose ``path`` points at a ``model`` row with ``query`` in one of its texts (or,
    with ``via``, whose pk is the ``via`` column of such a row: an exhibitor's products).

    A search across tables (a job's title or its organisation's name) written as one ``OR``
    can use neither table's index, since PostgreSQL must join before it can test; searching
    each table in its own subquery lets every part use its trigram index.
    """
    rows = model._default_manager.order_by().filter(bilingual_search(query, *names))
    return Q(**{f"{path}__in": rows.values(via)})
