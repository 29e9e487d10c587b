import pytest

from tests.factories import MembershipFactory, OrganisationFactory

from .factories import HallFactory


@pytest.fixture
def hall(edition):
    return HallFactory(edition=edition)


@pytest.fixture
def org_admin(db):
    """An organisation and its admin."""
    membership = MembershipFactory(organisation=OrganisationFactory(), role="admin")
    return membership.organisation, membership.user
