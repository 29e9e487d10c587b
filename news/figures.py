"""The media figures of the edition report, and where each comes from.

``media_outlets``: the outlets accredited on the portal (approved accreditations), or the
organisers' figure when they entered one (accreditation outside the portal).
``press_releases``: the press releases published here plus those the organisers entered
(published elsewhere). ``live_views`` and ``new_media_readership``: entered by the organisers
with their source and date. An entered ``live_views`` (every platform) replaces the forum's
own count of its streams in report.json, since the news area comes after the forum.
"""

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ciep.models import Edition

from .models import MediaFigure
from .selectors import accredited_outlets, edition_press_releases

LABELS = {
    "media_outlets": _("Media outlets"),
    "press_releases": _("Press releases"),
    "live_views": _("Live-stream views (all platforms)"),
    "new_media_readership": _("New-media readership"),
}


def _entered(edition: Edition) -> dict[str, MediaFigure]:
    return {figure.key: figure for figure in MediaFigure.objects.filter(edition=edition)}


def edition_figures(edition: Edition) -> dict:
    entered = _entered(edition)
    outlets = entered.get("media_outlets")
    figures = {
        "media_outlets": outlets.value if outlets else accredited_outlets(edition),
        "press_releases": edition_press_releases(edition)
        + (entered["press_releases"].value if "press_releases" in entered else 0),
        "new_media_readership": (
            entered["new_media_readership"].value if "new_media_readership" in entered else 0
        ),
    }
    if "live_views" in entered:
        figures["live_views"] = entered["live_views"].value
    return figures


def _entered_note(figure: MediaFigure) -> str:
    return gettext("Entered by the organisers: %(source)s, as of %(date)s.") % {
        "source": figure.source,
        "date": date_format(figure.as_of, "DATE_FORMAT"),
    }


def figure_notes(edition: Edition) -> dict[str, str]:
    """Where each media figure of ``edition`` comes from, in the reader's language."""
    entered = _entered(edition)
    published = edition_press_releases(edition)
    notes = {}
    releases = gettext("%(count)d published on this portal.") % {"count": published}
    if "press_releases" in entered:
        releases += " " + _entered_note(entered["press_releases"])
    notes["press_releases"] = releases
    if "media_outlets" not in entered:
        notes["media_outlets"] = gettext("Outlets accredited through the portal's press centre.")
    for key in ("media_outlets", "live_views", "new_media_readership"):
        if key in entered:
            notes[key] = _entered_note(entered[key])
        elif key == "new_media_readership":  # the others count what the portal holds
            notes[key] = gettext("Not entered yet.")
    return notes
