"""Importing a delegation's talent demands from a CSV or Excel file."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from ciep.models import DelegationMember, ImportBatch
from recruitment.models import TalentDemand
from tests.factories import DelegationMemberFactory, FieldFactory, UserFactory
from tests.spreadsheets import csv_upload, url, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER_EN = ["Title (English)", "Field", "Level", "Number of talents", "What is needed (English)"]
HEADER_ZH = ["标题（英文）", "领域", "层次", "需求人数", "需求说明（英文）"]


@pytest.fixture
def fields(db):
    return [
        FieldFactory(slug="5g", name_en="5G", name_zh="5G通信"),
        FieldFactory(slug="biomedicine", name_en="Biomedicine", name_zh="生物医药"),
    ]


@pytest.fixture
def head(delegation):
    return DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user


def upload(client, delegation, file, language="en"):
    return client.post(
        url("recruitment:demand_import", delegation.pk, language=language), {"file": file}
    )


def confirm(client, batch):
    return client.post(
        reverse("recruitment:demand_import_preview", args=[batch.delegation_pk, batch.token])
    )


GOOD_ROWS = [
    HEADER_EN,
    ["AI researchers", "5g", "Senior expert", "3", "Build a lab."],
    ["Doctors", "Biomedicine", "young", "", "Work in the new hospital."],
]


def _import(client, delegation, rows=GOOD_ROWS, **kwargs):
    response = upload(client, delegation, csv_upload(rows), **kwargs)
    assert response.status_code == 302, response.content.decode()[-3000:]
    batch = ImportBatch.objects.get()
    batch.delegation_pk = delegation.pk
    return response, batch


@pytest.mark.parametrize(
    ("language", "first_header", "level"),
    [("en", "Title (English) *", "Senior expert"), ("zh-hans", "标题（英文） *", "高级专家")],
)
def test_template_csv_in_the_page_language(
    client, delegation, head, fields, language, first_header, level
):
    client.force_login(head)
    response = client.get(
        url("recruitment:demand_import_template", delegation.pk, "csv", language=language)
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[0][0] == first_header
    assert rows[1][3] == level


@pytest.mark.parametrize(("language", "header"), [("en", "Field *"), ("zh-hans", "领域 *")])
def test_template_xlsx_in_the_page_language(client, delegation, head, fields, language, header):
    client.force_login(head)
    response = client.get(
        url("recruitment:demand_import_template", delegation.pk, "xlsx", language=language)
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    assert rows[0][2] == header


def test_template_round_trip_imports_its_example_row(client, delegation, head, fields):
    client.force_login(head)
    for language in ("en", "zh-hans"):
        template = url(
            "recruitment:demand_import_template", delegation.pk, "xlsx", language=language
        )
        file = SimpleUploadedFile("template.xlsx", client.get(template).content)
        assert upload(client, delegation, file, language=language).status_code == 302
    assert ImportBatch.objects.count() == 2


def test_valid_csv_previews_then_creates_exactly_the_rows(client, delegation, head, fields):
    client.force_login(head)
    response, batch = _import(client, delegation)
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "AI researchers" in preview.content.decode()
    assert TalentDemand.objects.count() == 0  # nothing before the confirmation
    assert confirm(client, batch).status_code == 302
    demands = list(
        TalentDemand.objects.order_by("id").values_list(
            "title_en", "field__slug", "level", "number", "delegation", "created_by", "status"
        )
    )
    assert demands == [
        ("AI researchers", "5g", "senior", 3, delegation.pk, head.pk, "open"),
        ("Doctors", "biomedicine", "young", 1, delegation.pk, head.pk, "open"),
    ]


def test_second_confirm_imports_nothing(client, delegation, head, fields):
    client.force_login(head)
    _response, batch = _import(client, delegation)
    confirm(client, batch)
    response = confirm(client, batch)
    assert response.status_code == 302
    assert TalentDemand.objects.count() == 2
    batch.refresh_from_db()
    assert batch.created_count == 2


def test_malformed_file_changes_nothing_and_names_row_and_column(client, delegation, head, fields):
    client.force_login(head)
    rows = [
        HEADER_EN,
        ["Good row", "5g", "Professional", "2", "Fine."],
        ["", "unknown-field", "Senior expert", "two", "Bad."],
        ["Another", "5g", "chief", "1", ""],
    ]
    response = upload(client, delegation, csv_upload(rows))
    assert response.status_code == 200
    errors = [
        (error.row, error.column, error.message) for error in response.context["preview"].errors
    ]
    assert errors == [
        (3, "Title (English)", "This field is required."),
        (3, "Field", "No field is called “unknown-field”."),
        (3, "Number of talents", "Enter a whole number."),
        (4, "Level", "“chief” is not one of the levels."),
        (4, "What is needed (English)", "This field is required."),
    ]
    assert response.context["preview"].good_rows == [
        (2, ["Good row", "", "5g", "Professional", "2", "Fine.", "", "", ""])
    ]
    assert TalentDemand.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_errors_in_chinese_on_the_chinese_page(client, delegation, head, fields):
    client.force_login(head)
    rows = [HEADER_ZH, ["AI", "5g", "首席", "1", "说明"]]
    response = upload(client, delegation, csv_upload(rows), language="zh-hans")
    errors = [(e.row, e.column, e.message) for e in response.context["preview"].errors]
    assert errors == [(2, "层次", "“首席”不是可选的层次。")]


def test_gb18030_csv_with_chinese_headers(client, delegation, head, fields):
    client.force_login(head)
    rows = [HEADER_ZH, ["人工智能研究员", "生物医药", "青年人才", "2", "建设实验室"]]
    response = upload(client, delegation, csv_upload(rows, encoding="gb18030"))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    batch.delegation_pk = delegation.pk
    confirm(client, batch)
    assert list(TalentDemand.objects.values_list("title_en", "field__slug", "level")) == [
        ("人工智能研究员", "biomedicine", "young")
    ]


def test_utf8_csv_without_bom(client, delegation, head, fields):
    client.force_login(head)
    rows = [HEADER_ZH, ["研究员", "5G通信", "专业人才", "1", "说明"]]
    assert upload(client, delegation, csv_upload(rows, encoding="utf-8")).status_code == 302


def test_xlsx_imports_and_formulas_are_not_read(client, delegation, head, fields):
    client.force_login(head)
    rows = [HEADER_EN, ["Engineers", "5g", "Professional", 4, "Build."]]
    assert upload(client, delegation, xlsx_upload(rows)).status_code == 302
    rows = [HEADER_EN, ["Engineers", "5g", "Professional", "=2+2", "Build."]]
    response = upload(client, delegation, xlsx_upload(rows))
    errors = [(e.row, e.column, e.message) for e in response.context["preview"].errors]
    assert errors == [(2, "Number of talents", "A formula is not read: type the value itself.")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "Upload a CSV file or an Excel workbook (.xlsx)."),
        (b"PK\x03\x04garbage", "The file is not a readable Excel workbook."),
        (b"", "The submitted file is empty."),
        (b"\xff\xfe\x00\x00\xc0", "Upload a CSV file or an Excel workbook (.xlsx)."),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(client, delegation, head, content, message):
    client.force_login(head)
    response = upload(client, delegation, SimpleUploadedFile("demands.csv", content))
    assert response.context["form"].errors["file"] == [message]
    assert ImportBatch.objects.count() == 0


def test_size_and_row_caps(client, delegation, head, fields, settings):
    client.force_login(head)
    rows = [HEADER_EN] + [["T", "5g", "Professional", "1", "D"]] * 501
    response = upload(client, delegation, csv_upload(rows))
    assert response.context["form"].errors["file"] == [
        "The file has 501 rows; import at most 500 at a time."
    ]
    big = SimpleUploadedFile("big.csv", b"a," * (1024 * 1024 + 1))
    response = upload(client, delegation, big)
    assert response.context["form"].errors["file"] == ["The file is larger than 2 MB."]


def test_unknown_and_missing_columns_are_named(client, delegation, head, fields):
    client.force_login(head)
    response = upload(client, delegation, csv_upload([["Title (English)", "Salary"], ["A", "1"]]))
    assert response.context["preview"].file_errors == [
        "The column “Salary” is not one of this import's.",
        "The column “Field” is missing.",
        "The column “Level” is missing.",
        "The column “What is needed (English)” is missing.",
    ]


@pytest.mark.parametrize("role", ["representative", "stranger"])
def test_only_the_head_may_import(client, delegation, head, fields, role):
    if role == "representative":
        user = DelegationMemberFactory(delegation=delegation).user
    else:
        user = UserFactory()
    client.force_login(user)
    assert upload(client, delegation, csv_upload(GOOD_ROWS)).status_code == 404
    assert (
        client.get(url("recruitment:demand_import_template", delegation.pk, "csv")).status_code
        == 404
    )
    assert ImportBatch.objects.count() == 0


def test_another_persons_preview_is_not_found(client, delegation, head, fields):
    client.force_login(head)
    _response, batch = _import(client, delegation)
    other_head = DelegationMemberFactory(
        delegation=delegation, role=DelegationMember.Role.HEAD
    ).user
    client.force_login(other_head)
    preview = url("recruitment:demand_import_preview", delegation.pk, batch.token)
    assert client.get(preview).status_code == 404
    assert client.post(preview).status_code == 404
    assert TalentDemand.objects.count() == 0


def test_a_field_gone_since_the_preview_imports_nothing(client, delegation, head, fields):
    client.force_login(head)
    _response, batch = _import(client, delegation)
    fields[1].delete()
    response = confirm(client, batch)
    assert response.status_code == 302
    assert TalentDemand.objects.count() == 0
    assert ImportBatch.objects.get().confirmed_at is None


def test_a_sheet_long_with_empty_rows_is_refused_rather_than_cut(client, delegation, head, fields):
    client.force_login(head)
    rows = [HEADER_EN, *([[""]] * 20_001), ["Late row", "5g", "Professional", "1", "D"]]
    workbook = xlsx_upload([[cell or None for cell in row] for row in rows])
    response = upload(client, delegation, workbook)
    assert response.context["form"].errors["file"] == [
        "The sheet has more than 20000 rows, empty ones included: delete those below the data."
    ]
