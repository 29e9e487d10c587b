"""The back office's exports of the newsroom, each declared once: the admin's CSV action and
the API's ``/exports/<name>`` read the same columns."""

from ciep.exports import Export

from .models import Accreditation, Article

ARTICLES = Export(
    model=Article,
    fields=["edition__number", "category", "title_en", "title_zh", "state", "published_at"],
    filename="articles.csv",
    edition="edition__number",
)

ACCREDITATIONS = Export(
    model=Accreditation,
    fields=["edition__number", "outlet", "country", "role", "journalist__name", "state"],
    filename="accreditations.csv",
    edition="edition__number",
)
