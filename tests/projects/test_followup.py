import datetime
import io
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection

from projects.models import FollowUpReminder
from projects.services import followup_send_due
from tests.factories import DelegationMemberFactory, MembershipFactory
from tests.projects.factories import IntentionFactory

SIGNED = datetime.date(2025, 1, 31)


def agreement(**extra):
    member = DelegationMemberFactory()
    owner = MembershipFactory()
    intention = IntentionFactory(
        edition=member.delegation.edition,
        delegation=member.delegation,
        counterpart_organisation=owner.organisation,
        **{"state": "signed", "signed_on": SIGNED, **extra},
    )
    return intention, member.user, owner.user


def run(today: str) -> str:
    out = io.StringIO()
    call_command("send_followup_reminders", f"--today={today}", stdout=out)
    return out.getvalue().strip()


@pytest.mark.django_db
def test_followup_reminds_both_parties_once_per_milestone():
    intention, representative, owner = agreement()
    assert run("2025-04-29") == "0 reminder(s) sent."
    assert run("2025-04-30") == "1 reminder(s) sent."
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [representative.email, owner.email]
    )
    assert "3 months" in mail.outbox[0].subject
    mail.outbox.clear()
    assert run("2025-04-30") == "0 reminder(s) sent."
    assert run("2025-05-15") == "0 reminder(s) sent."
    assert mail.outbox == []
    assert run("2025-07-31") == "1 reminder(s) sent."
    assert list(intention.reminders.values_list("milestone", flat=True)) == [3, 6]


@pytest.mark.django_db
def test_followup_catching_up_records_missed_milestones_and_sends_latest_only():
    intention, _representative, _owner = agreement()
    assert followup_send_due(today=datetime.date(2026, 2, 1)) == 1
    assert list(intention.reminders.values_list("milestone", flat=True)) == [3, 6, 12]
    assert len(mail.outbox) == 2
    assert "12 months" in mail.outbox[0].subject
    assert followup_send_due(today=datetime.date(2027, 2, 1)) == 0


@pytest.mark.django_db
def test_followup_ignores_intentions_that_are_not_agreements():
    agreement(state="negotiating", signed_on=None)
    assert followup_send_due(today=datetime.date(2026, 2, 1)) == 0
    assert FollowUpReminder.objects.count() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_followup_concurrent_runs_send_one_reminder():
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL.")
    intention, _representative, _owner = agreement()
    results = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            results.append(followup_send_due(today=datetime.date(2025, 5, 1)))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [0, 1]
    assert list(intention.reminders.values_list("milestone", flat=True)) == [3]
