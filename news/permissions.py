"""Who may do what with the news: organisers write, review and publish; everyone reads what
is published."""

from ciep.permissions import is_organiser


def can_edit_articles(user) -> bool:
    """Organisers write, review, schedule and publish articles, and read them before."""
    return is_organiser(user)


def can_enter_media_figures(user) -> bool:
    """Organisers enter the media figures counted outside the portal."""
    return is_organiser(user)


def can_decide_accreditations(user) -> bool:
    """Organisers approve or refuse journalists' accreditations and see their press cards."""
    return is_organiser(user)
