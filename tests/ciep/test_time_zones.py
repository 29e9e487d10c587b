"""Time zones are named by country and offset in the reader's language, never by IANA name."""

import datetime

from django.utils import translation

from ciep.time_zones import zone_choices, zone_countries, zone_form_choices, zone_label

WINTER = datetime.datetime(2030, 1, 15, 12, tzinfo=datetime.UTC)
SUMMER = datetime.datetime(2030, 7, 15, 12, tzinfo=datetime.UTC)


def test_zone_label_in_both_languages_and_seasons():
    with translation.override("en"):
        assert [
            zone_label("Asia/Shanghai", WINTER),
            zone_label("Europe/Berlin", WINTER),
            zone_label("Europe/Berlin", SUMMER),
            zone_label("America/New_York", WINTER),
            zone_label("Asia/Kolkata", WINTER),
            zone_label("UTC", WINTER),
        ] == [
            "China time, UTC+08:00",
            "Germany time, UTC+01:00",
            "Germany time, UTC+02:00",
            "United States of America time, UTC-05:00",
            "India time, UTC+05:30",
            "UTC+00:00",
        ]
    with translation.override("zh-hans"):
        assert [
            zone_label("Asia/Shanghai", WINTER),
            zone_label("Europe/Berlin", SUMMER),
            zone_label("UTC", WINTER),
        ] == ["中国时间，UTC+08:00", "德国时间，UTC+02:00", "UTC+00:00"]


def test_a_venue_country_given_wins_over_the_zone_table():
    with translation.override("en"):
        assert zone_label("Europe/Berlin", WINTER, country="AT") == "Austria time, UTC+01:00"


def test_zones_reading_the_same_add_their_city_and_run_by_offset():
    with translation.override("en"):
        assert zone_choices(
            ["Europe/Berlin", "Asia/Shanghai", "America/New_York", "America/Detroit"],
            WINTER,
            by_offset=True,
        ) == [
            ("America/Detroit", "United States of America time, UTC-05:00 (Detroit)"),
            ("America/New_York", "United States of America time, UTC-05:00 (New York)"),
            ("Europe/Berlin", "Germany time, UTC+01:00"),
            ("Asia/Shanghai", "China time, UTC+08:00"),
        ]


def test_form_choices_hold_every_country_zone_and_keep_an_old_alias():
    choices = dict(zone_form_choices("PRC", WINTER))
    assert set(zone_countries()) <= set(choices)
    assert ("UTC" in choices, "PRC" in choices, "US/Eastern" in choices) == (True, True, False)
    assert all("/" not in label.split(" (")[0] for label in choices.values())
