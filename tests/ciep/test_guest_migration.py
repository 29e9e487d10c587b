"""The data migration that moves an edition's guest of honour and observers from its two
country fields into guest rows, and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("ciep", "0013_preferred_language_iso_code")]
AFTER = [("ciep", "0014_edition_guests")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_guest_fields_become_guest_rows_and_back():
    old = _migrate(BEFORE)
    Edition = old.get_model("ciep", "Edition")
    common = {
        "year": 2019,
        "title_en": "17th",
        "start_date": "2019-04-14",
        "end_date": "2019-04-15",
    }
    Edition.objects.create(number=17, guest_of_honour="GB", observers=["RU", "UA"], **common)
    Edition.objects.create(number=18, **common)
    try:
        new = _migrate(AFTER)
        Guest = new.get_model("ciep", "EditionGuest")
        rows = Guest.objects.order_by("edition__number", "role", "order")
        assert [(g.edition.number, g.country.code, g.role, g.order) for g in rows] == [
            (17, "GB", "guest_of_honour", 100),
            (17, "RU", "observer", 1),
            (17, "UA", "observer", 2),
        ]
        back = _migrate(BEFORE).get_model("ciep", "Edition")
        seventeenth = back.objects.get(number=17)
        assert seventeenth.guest_of_honour.code == "GB"
        assert [country.code for country in seventeenth.observers] == ["RU", "UA"]
        assert back.objects.get(number=18).guest_of_honour.code in ("", None)
    finally:
        latest = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
        latest.get_model("ciep", "Edition").objects.all().delete()
