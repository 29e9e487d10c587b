"""The programme as a time-by-venue grid, its venue filter and the cards' flags."""

import datetime

import pytest
from django.urls import reverse

from forums import selectors
from tests.forums.factories import RegistrationFactory, SessionFactory, VenueFactory, in_days

pytestmark = pytest.mark.django_db


def _sessions(edition):
    main = VenueFactory(edition=edition, name_en="Main hall", order=1)
    studio = VenueFactory(edition=edition, name_en="Studio", order=2)
    VenueFactory(edition=edition, name_en="Unused room", order=3)
    opening = SessionFactory(
        edition=edition,
        venue=main,
        title_en="Opening",
        start=in_days(3, 9),
        end=in_days(3, 9) + datetime.timedelta(hours=1),
    )
    talk = SessionFactory(
        edition=edition,
        venue=studio,
        title_en="Talk",
        start=in_days(3, 9),
        end=in_days(3, 9) + datetime.timedelta(minutes=30),
    )
    panel = SessionFactory(
        edition=edition,
        venue=main,
        title_en="Panel",
        start=in_days(3, 9) + datetime.timedelta(minutes=30),
        end=in_days(3, 11),
    )
    return main, studio, opening, talk, panel


def test_grid_has_a_column_per_venue_used_and_a_row_per_half_hour(edition):
    main, studio, opening, talk, panel = _sessions(edition)
    pairs = [(session, session.title_en) for session in (opening, talk, panel)]
    venues = list(main.edition.forum_venues.order_by("order"))
    columns, rows = selectors.programme_grid(pairs, venues)
    assert [venue.name_en for venue in columns] == ["Main hall", "Studio"]
    assert [row.time.strftime("%H:%M") for row in rows] == ["09:00", "09:30", "10:00", "10:30"]
    # The opening and the overlapping panel share the main hall's cell over all four rows.
    assert rows[0].cells[0].rows == 4
    assert [card for _session, card in rows[0].cells[0].cards] == ["Opening", "Panel"]
    assert [rows[step].cells[0] for step in (1, 2, 3)] == [None, None, None]
    assert (rows[0].cells[1].rows, rows[0].cells[1].cards) == (1, [(talk, "Talk")])
    assert [rows[step].cells[1].cards for step in (1, 2, 3)] == [[], [], []]


def test_programme_grid_view_shows_venues_as_columns(client, edition):
    _sessions(edition)
    body = client.get(reverse("forums:programme") + "?view=grid").content.decode()
    head = body.split('class="programme-grid"')[1].split("</thead>")[0]
    assert head.count("<th scope") == 3 and "Main hall" in head and "Studio" in head
    assert "Unused room" not in head
    assert body.count('rowspan="4"') == 1
    assert 'aria-current="page" href="?view=grid"' in body
    listing = client.get(reverse("forums:programme")).content.decode()
    assert 'class="programme-grid"' not in listing and "Opening" in listing


def test_programme_filters_by_venue(client, edition):
    main, studio, *_ = _sessions(edition)
    response = client.get(reverse("forums:programme"), {"venue": studio.pk})
    assert [
        session.title_en for _day, pairs in response.context["days"] for session, _card in pairs
    ] == ["Talk"]
    assert client.get(reverse("forums:programme"), {"venue": "99999"}).status_code == 200


def test_cards_say_full_online_and_language(client, edition):
    full = SessionFactory(
        edition=edition,
        title_en="Small workshop",
        capacity=1,
        format="offline",
        start=in_days(3, 9),
    )
    RegistrationFactory(session=full)
    SessionFactory(
        edition=edition, title_en="Webinar", format="online", language="en", start=in_days(4, 9)
    )
    body = client.get(reverse("forums:programme")).content.decode()
    small, webinar = body.split("Small workshop")[1], body.split("Webinar")[1]
    assert '<span class="flag flag-full">Full</span>' in small.split("</li>")[0]
    assert '<span class="flag flag-online">Online</span>' in webinar.split("</li>")[0]
    assert "English</span>" in webinar.split("</li>")[0]
    assert "flag-full" not in webinar.split("</li>")[0]
