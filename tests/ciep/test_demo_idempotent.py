"""Loading the demo again changes nothing, and never undoes what people did since."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F, Q

from forums.models import Registration, Session
from forums.services import registration_cancel
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

APPS = ("ciep", "exhibitions", "recruitment", "projects", "forums")
# Rows that record the loading itself, not the demo's data.
NOT_DATA = {"ciep.outgoingmail", "ciep.auditentry", "ciep.formsubmission"}


def seed():
    call_command("seed_demo", stdout=io.StringIO())


def row_counts():
    return {
        model._meta.label_lower: model._default_manager.count()
        for label in APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_DATA
    }


def overfilled_sessions():
    confirmed = Count("registrations", filter=Q(registrations__status="confirmed"))
    return list(
        Session.objects.filter(capacity__isnull=False)
        .annotate(confirmed=confirmed)
        .filter(confirmed__gt=F("capacity"))
        .values_list("title_en", flat=True)
    )


def test_seed_demo_twice_gives_the_same_rows():
    seed()
    first = row_counts()
    seed()
    assert row_counts() == first


def test_seed_demo_again_keeps_a_cancellation_and_never_overfills():
    seed()
    workshop = Session.objects.get(capacity=2)
    expert = workshop.registrations.filter(status="confirmed").order_by("id").first()
    registration_cancel(registration=expert, by=expert.user)
    after_cancel = sorted(workshop.registrations.values_list("user__email", "status"))
    seed()
    seed()
    assert sorted(workshop.registrations.values_list("user__email", "status")) == after_cancel
    assert Registration.objects.get(pk=expert.pk).status == Registration.Status.CANCELLED
    assert workshop.registrations.filter(status="confirmed").count() == 2
    assert overfilled_sessions() == []


def test_seed_demo_on_a_full_session_puts_its_people_on_the_waiting_list():
    seed()
    workshop = Session.objects.get(capacity=2)
    Registration.objects.filter(session=workshop).delete()
    for _ in range(2):
        user = UserFactory()
        Registration.objects.create(
            session=workshop, user=user, status="confirmed", registered_by=user
        )
    seed()
    assert workshop.registrations.filter(status="confirmed").count() == 2
    assert workshop.registrations.filter(status="waiting").count() == 3
    assert overfilled_sessions() == []
