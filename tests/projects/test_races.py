import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from projects import services
from projects.models import Intention
from tests.factories import DelegationMemberFactory, MembershipFactory, UserFactory
from tests.projects.factories import IntentionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_confirm_and_decline_one_wins():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL.")
    member = DelegationMemberFactory()
    owner = MembershipFactory()
    colleague = MembershipFactory(organisation=owner.organisation, user=UserFactory()).user
    intention = IntentionFactory(
        edition=member.delegation.edition,
        delegation=member.delegation,
        counterpart_organisation=owner.organisation,
    )
    barrier = threading.Barrier(2)
    outcomes = []

    def act(service, user):
        try:
            barrier.wait()
            service(intention=Intention.objects.get(pk=intention.pk), by=user)
            outcomes.append("done")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(services.intention_confirm, owner.user)),
        threading.Thread(target=act, args=(services.intention_decline, colleague)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    intention.refresh_from_db()
    assert intention.state in ("confirmed", "declined")
    assert list(intention.events.values_list("to_state", flat=True)) == [intention.state]
