import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation

from ciep import exports
from ciep.exports import csv_cell, csv_response, in_chunks
from ciep.models import Attendance, Organisation
from recruitment.models import Application
from tests.conftest import sign_in_with_second_factor
from tests.factories import EditionFactory, FieldFactory, OrganisationFactory
from tests.recruitment.factories import ApplicationFactory

pytestmark = pytest.mark.django_db

VERIFIED = datetime.datetime(2022, 10, 9, 2, 30, tzinfo=datetime.UTC)


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def export(client, changelist: str, pks) -> StreamingHttpResponse:
    return client.post(
        reverse(changelist), {"action": "export_csv", ACTION_CHECKBOX_NAME: list(pks)}
    )


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 10)


# --- Cells ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_cell_text_starting_a_formula_gets_an_apostrophe(prefix):
    assert csv_cell(f"{prefix}SUM(A1:A9)") == f"'{prefix}SUM(A1:A9)"


@pytest.mark.parametrize(
    "value", [-5, 0, 12, Decimal("-1.50"), -2.5, 3.25], ids=lambda value: repr(value)
)
def test_csv_cell_numbers_are_written_as_numbers(value):
    assert csv_cell(value) == value


def test_csv_cell_other_values_are_text():
    assert [
        csv_cell(None),
        csv_cell("Shenzhen 深圳"),
        csv_cell(True),
        csv_cell(datetime.date(2022, 10, 9)),
        csv_cell("a=b"),
        csv_cell(""),
    ] == ["", "Shenzhen 深圳", "True", "2022-10-09", "a=b", ""]


def test_csv_response_streams_bom_header_and_neutralised_rows():
    response = csv_response(
        "figures.csv",
        ["Name", "=Total"],
        iter([['=HYPERLINK("http://x")', -3], ["@SUM(1)", Decimal("-0.5")], [None, "+86"]]),
    )
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="figures.csv"'
    assert body(response) == (
        '\ufeffName,\'=Total\r\n"\'=HYPERLINK(""http://x"")",-3\r\n\'@SUM(1),-0.5\r\n,\'+86\r\n'
    )


def test_csv_response_reads_rows_in_the_language_of_the_request():
    def rows():
        yield [str(Organisation.Type.UNIVERSITY.label)]

    with translation.override("zh-hans"):
        response = csv_response("types.csv", ["type"], rows())
    assert body(response) == "\ufefftype\r\n高等院校\r\n"


# --- Chunks ---------------------------------------------------------------------------------


def test_in_chunks_keeps_the_order_across_chunks_with_equal_keys(small_chunks):
    edition = EditionFactory()
    same = timezone.now()
    attendances = Attendance.objects.bulk_create(
        Attendance(edition=edition, name=f"Person {n}", role="visitor", country="CN", code=f"C{n}")
        for n in range(23)
    )
    Attendance.objects.filter(pk__in=[a.pk for a in attendances[5:17]]).update(created_at=same)
    queryset = Attendance.objects.order_by("-created_at", "-pk")
    assert [a.pk for a in in_chunks(queryset, order=("-created_at", "-pk"))] == list(
        queryset.values_list("pk", flat=True)
    )
    assert [a.pk for a in in_chunks(queryset)] == sorted(a.pk for a in attendances)


def test_in_chunks_refuses_an_order_that_is_not_unique_or_nullable():
    with pytest.raises(ValueError):
        list(in_chunks(Attendance.objects.all(), order=("name",)))
    with pytest.raises(ValueError):
        list(in_chunks(Attendance.objects.all(), order=("checked_in_at", "pk")))


# --- The admin action -----------------------------------------------------------------------


def organisations(count: int) -> list[Organisation]:
    energy = FieldFactory(slug="energy", name_en="Energy", name_zh="能源", order=1)
    health = FieldFactory(slug="health", name_en="Health", name_zh="健康", order=2)
    made = []
    for n in range(count):
        organisation = OrganisationFactory(
            name_en=f"Org {n:02}", name_zh=f"机构{n}", type="university", country="GB"
        )
        organisation.fields.set([health, energy])
        made.append(organisation)
    return made


def test_export_action_writes_labels_country_names_and_joined_relations(client, organiser):
    first = OrganisationFactory(
        name_en="Shenzhen University",
        name_zh="深圳大学",
        type="university",
        country="CN",
        city="Shenzhen",
        website="https://www.szu.edu.cn",
        verified_at=VERIFIED,
    )
    first.fields.set(
        [
            FieldFactory(slug="photonics", name_en="Photonics", name_zh="光子学", order=2),
            FieldFactory(slug="ai", name_en="Artificial intelligence", name_zh="人工智能", order=1),
        ]
    )
    second = OrganisationFactory(
        name_en='=HYPERLINK("http://evil.example")',
        name_zh="",
        type="high_tech",
        country="DE",
        city="-Berlin",
        verified_at=None,
    )
    sign_in_with_second_factor(client, organiser)
    response = export(client, "admin:ciep_organisation_changelist", [second.pk, first.pk])
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
    assert body(response).splitlines() == [
        "\ufeffname (English),name (Chinese),type,country or region,city,website,"
        "fields of activity,verified at",
        "Shenzhen University,深圳大学,University or college,China,Shenzhen,"
        'https://www.szu.edu.cn,"Artificial intelligence, Photonics",2022-10-09 02:30:00+00:00',
        '"\'=HYPERLINK(""http://evil.example"")",,High-tech enterprise,Germany,\'-Berlin,,,',
    ]


def test_export_action_in_chinese_gives_chinese_labels(client, organiser):
    organisation = OrganisationFactory(type="university", country="CN")
    sign_in_with_second_factor(client, organiser)
    with translation.override("zh-hans"):
        url = reverse("admin:ciep_organisation_changelist")
    response = client.post(url, {"action": "export_csv", ACTION_CHECKBOX_NAME: [organisation.pk]})
    assert body(response).splitlines()[1].split(",")[2:4] == ["高等院校", "中国"]


def test_export_action_matches_the_display_of_each_attendance_column(client, organiser):
    edition = EditionFactory(number=17)
    organisation = OrganisationFactory(name_en="Tsinghua University")
    Attendance.objects.create(
        edition=edition,
        name="Anna Petrova",
        role="expert",
        country="RU",
        organisation=organisation,
        code="A1B2C3",
        checked_in_at=VERIFIED,
    )
    Attendance.objects.create(
        edition=edition, name="+Visitor", role="visitor", country="CN", code="D4E5F6"
    )
    sign_in_with_second_factor(client, organiser)
    response = export(
        client, "admin:ciep_attendance_changelist", Attendance.objects.values_list("pk", flat=True)
    )
    assert body(response).splitlines() == [
        "\ufeffedition: number,name,attends as,country or region,organisation: name_en,"
        "check-in code,checked in at",
        "17,Anna Petrova,Expert or talent,Russia,Tsinghua University,A1B2C3,"
        "2022-10-09 02:30:00+00:00",
        "17,'+Visitor,Visitor,China,,D4E5F6,",
    ]


# Queries of an export through the admin: the change list's own (the user, the organiser's
# authenticator (ciep/second_factor.py), the user's permissions directly and through groups,
# the filters' choices, the counts), then one query for each chunk of rows plus one for each
# relation prefetched for the chunk. Rows within a chunk cost nothing more.
ORGANISATION_CHANGELIST_QUERIES = 8
APPLICATION_CHANGELIST_QUERIES = 10


@pytest.mark.parametrize(("count", "chunks"), [(1, 1), (10, 1), (25, 3)])
def test_organisation_export_queries_grow_only_with_chunks(
    client, organiser, small_chunks, django_assert_num_queries, count, chunks
):
    pks = [organisation.pk for organisation in organisations(count)]
    sign_in_with_second_factor(client, organiser)
    # Each chunk: the organisations (with the changelist's verified_by joined), their fields.
    with django_assert_num_queries(ORGANISATION_CHANGELIST_QUERIES + 2 * chunks):
        lines = body(export(client, "admin:ciep_organisation_changelist", pks)).splitlines()
    assert len(lines) == count + 1
    assert ',"Energy, Health",' in lines[1]


def test_organisation_export_one_row_and_ten_rows_make_the_same_queries(
    client, organiser, small_chunks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    made = organisations(10)
    sign_in_with_second_factor(client, organiser)
    counts = []
    for pks in ([made[0].pk], [organisation.pk for organisation in made]):
        with CaptureQueriesContext(connection) as queries:
            body(export(client, "admin:ciep_organisation_changelist", pks))
        counts.append(len(queries))
    assert counts == [ORGANISATION_CHANGELIST_QUERIES + 2, ORGANISATION_CHANGELIST_QUERIES + 2]


# --- The applications export ----------------------------------------------------------------


def test_applications_export_content(client, organiser, edition):
    application = ApplicationFactory(
        posting__title_en="Optical engineer",
        posting__organisation__name_en="-Huawei",
        talent__user__name="Anna Petrova",
        talent__user__email="anna@example.org",
        talent__nationality="RU",
        state="interview",
    )
    Application.objects.filter(pk=application.pk).update(created_at=VERIFIED)
    sign_in_with_second_factor(client, organiser)
    response = export(client, "admin:recruitment_application_changelist", [application.pk])
    assert isinstance(response, StreamingHttpResponse)
    assert body(response).splitlines() == [
        "\ufeffjob: title_en,job: name_en,talent: name,talent: email,"
        "talent: nationality,state,created",
        f"Optical engineer,'-Huawei,Anna Petrova,anna@example.org,Russia,"
        f"{Application.State('interview').label},2022-10-09 02:30:00+00:00",
    ]


@pytest.mark.parametrize(("count", "chunks"), [(1, 1), (10, 1), (25, 3)])
def test_applications_export_queries_grow_only_with_chunks(
    client, organiser, edition, small_chunks, django_assert_num_queries, count, chunks
):
    pks = [application.pk for application in ApplicationFactory.create_batch(count)]
    sign_in_with_second_factor(client, organiser)
    # Each chunk: one query joining posting, organisation, talent and user.
    with django_assert_num_queries(APPLICATION_CHANGELIST_QUERIES + chunks):
        lines = body(export(client, "admin:recruitment_application_changelist", pks)).splitlines()
    assert len(lines) == count + 1
