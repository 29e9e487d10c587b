import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from recruitment import services
from recruitment.models import Application

from .factories import JobPostingFactory, TalentProfileFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_application_submit_concurrently_keeps_one(edition):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL.")
    posting = JobPostingFactory()
    profile = TalentProfileFactory()
    barrier = threading.Barrier(4)
    outcomes = []

    def apply():
        try:
            barrier.wait()
            services.application_submit(posting=posting, talent=profile, cover_letter="Me")
            outcomes.append("applied")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=apply) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["You have already applied to this job."] * 3 + ["applied"]
    assert Application.objects.filter(posting=posting, talent=profile).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_application_unique_constraint_decides_without_the_lock(edition):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL.")
    from django.db import IntegrityError, transaction

    posting = JobPostingFactory()
    profile = TalentProfileFactory()
    Application.objects.create(posting=posting, talent=profile, cover_letter="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(posting=posting, talent=profile, cover_letter="2")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_import_confirmed_twice_at_once_imports_once(delegation):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks and concurrent transactions need PostgreSQL.")
    from ciep.imports import Table, import_batch_confirm, import_batch_create
    from ciep.models import DelegationMember
    from recruitment.imports import TalentDemandImport
    from recruitment.models import TalentDemand
    from tests.factories import DelegationMemberFactory, FieldFactory

    FieldFactory(slug="5g")
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    schema = TalentDemandImport()
    header = ["title_en", "field", "level", "description_en"]
    rows = [[2, ["Engineers", "5g", "senior", "Build."]], [3, ["Doctors", "5g", "young", "Heal."]]]
    batch = import_batch_create(
        schema=schema,
        scope=delegation,
        table=Table(header=header, rows=rows),
        file_name="demands.csv",
        by=head,
    )
    barrier = threading.Barrier(3)
    outcomes = []

    def confirm():
        try:
            barrier.wait()
            _batch, imported = import_batch_confirm(
                batch=batch, schema=schema, scope=delegation, by=head
            )
            outcomes.append(imported)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, False, True]
    assert TalentDemand.objects.filter(delegation=delegation).count() == 2
