import pytest

from exhibitions.figures import edition_figures, participating_organisation_ids
from exhibitions.models import Booth, Meeting
from exhibitions.selectors import exhibitor_count
from tests.factories import DelegationFactory, EditionFactory, OrganisationFactory

from .factories import BoothFactory, ExhibitorFactory, HallFactory, MeetingFactory, SlotFactory

pytestmark = pytest.mark.django_db


def test_edition_figures_count_exactly(edition):
    hall_a = HallFactory(edition=edition, code="A")
    hall_b = HallFactory(edition=edition, code="B")
    german = ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="DE"))
    chinese = ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="CN"))
    placed = ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="CN"))
    ExhibitorFactory(edition=edition, organisation=OrganisationFactory(country="FI"))
    BoothFactory(hall=hall_a, size_m2=9, state=Booth.State.ASSIGNED, exhibitor=german)
    BoothFactory(hall=hall_a, size_m2=18, state=Booth.State.ASSIGNED, exhibitor=chinese)
    BoothFactory(hall=hall_a, size_m2=12, state=Booth.State.RESERVED)
    pavilion = BoothFactory(
        hall=hall_b,
        size_m2=200,
        kind=Booth.Kind.PAVILION,
        state=Booth.State.ASSIGNED,
        delegation=DelegationFactory(edition=edition),
    )
    placed.pavilion = pavilion
    placed.save()
    MeetingFactory(slot=SlotFactory(exhibitor=german), state=Meeting.State.ACCEPTED)
    MeetingFactory(slot=SlotFactory(exhibitor=german), state=Meeting.State.DECLINED)
    # Another edition does not count.
    other = EditionFactory()
    BoothFactory(hall=HallFactory(edition=other), size_m2=50)
    ExhibitorFactory(edition=other, organisation=german.organisation)

    assert edition_figures(edition) == {
        "booths": 4,
        "exhibition_area_m2": 239,
        "exhibitors": 4,
        "exhibitor_organisations": 4,
        "negotiation_meetings": 1,
        "negotiations_held": 0,
        "negotiations_follow_up": 0,
        "negotiations_no_show": 0,
        "negotiations_outcome_awaited": 0,
        "booths_by_state": {"assigned": 3, "reserved": 1},
        "exhibitors_by_country": {"DE": 1, "CN": 2, "FI": 1},
        "exhibitors_by_hall": {"A": 2, "B": 1},
    }
    assert sorted(participating_organisation_ids(edition)) == sorted(
        [german.organisation_id, chinese.organisation_id, placed.organisation_id]
        + [e.organisation_id for e in edition.exhibitors.filter(organisation__country="FI")]
    )
    assert exhibitor_count(edition) == 4


def test_edition_figures_of_empty_edition(edition):
    assert edition_figures(edition) == {
        "booths": 0,
        "exhibition_area_m2": 0,
        "exhibitors": 0,
        "exhibitor_organisations": 0,
        "negotiation_meetings": 0,
        "negotiations_held": 0,
        "negotiations_follow_up": 0,
        "negotiations_no_show": 0,
        "negotiations_outcome_awaited": 0,
        "booths_by_state": {},
        "exhibitors_by_country": {},
        "exhibitors_by_hall": {},
    }
