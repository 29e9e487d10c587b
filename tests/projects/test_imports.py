"""Importing a delegation's project demands from a CSV or Excel file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from ciep.models import DelegationMember, ImportBatch
from projects.models import Project
from tests.factories import DelegationMemberFactory, FieldFactory
from tests.spreadsheets import csv_upload, url, xlsx_upload

pytestmark = pytest.mark.django_db

HEADER = [
    "Title (English)",
    "Summary (English)",
    "Fields",
    "Stage",
    "Cooperation types sought",
    "Country or region sought",
    "Budget or investment",
    "Contact person",
    "Contact email",
]
HEADER_ZH = ["标题（中文）", "简介（中文）", "领域", "阶段", "寻求的合作方式", "联系人", "联系邮箱"]


@pytest.fixture
def fields(db):
    return [
        FieldFactory(slug="5g", name_en="5G", name_zh="5G通信"),
        FieldFactory(slug="new-energy", name_en="New energy", name_zh="新能源"),
    ]


@pytest.fixture
def head(delegation):
    return DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user


def upload(client, delegation, file, language="en"):
    return client.post(
        url("projects:demand_import", delegation.pk, language=language), {"file": file}
    )


def confirm(client, delegation):
    batch = ImportBatch.objects.get()
    return client.post(url("projects:demand_import_preview", delegation.pk, batch.token))


ROWS = [
    HEADER,
    [
        "Fuel-cell plant",
        "A partner for a plant.",
        "New energy; 5g",
        "Pilot",
        "investment; Joint research and development",
        "Germany",
        "CNY 10–50 million",
        "Li Ming",
        "li@example.cn",
    ],
    [
        "Smart port",
        "5G for the port.",
        "5G",
        "research",
        "技术转移",
        "de",
        "",
        "Wang",
        "w@example.cn",
    ],
]


def test_valid_file_creates_the_delegations_draft_requests(client, delegation, head, fields):
    client.force_login(head)
    assert upload(client, delegation, csv_upload(ROWS)).status_code == 302
    assert Project.objects.count() == 0
    assert confirm(client, delegation).status_code == 302
    projects = Project.objects.order_by("id")
    assert [
        (
            p.title_en,
            p.kind,
            p.state,
            p.delegation_id,
            p.stage,
            p.country_sought.code,
            p.amount_band,
            sorted(p.fields.values_list("slug", flat=True)),
            sorted(p.cooperation_types.values_list("type", flat=True)),
        )
        for p in projects
    ] == [
        (
            "Fuel-cell plant",
            "request",
            "draft",
            delegation.pk,
            "pilot",
            "DE",
            "10m_50m",
            ["5g", "new-energy"],
            ["investment", "joint_rd"],
        ),
        (
            "Smart port",
            "request",
            "draft",
            delegation.pk,
            "research",
            "DE",
            "",
            ["5g"],
            ["technology_transfer"],
        ),
    ]
    assert confirm(client, delegation).status_code == 302  # the same preview again
    assert Project.objects.count() == 2


def test_chinese_xlsx_with_chinese_values(client, delegation, head, fields):
    client.force_login(head)
    rows = [
        HEADER_ZH,
        ["智慧港口", "港口5G应用", "5G通信、新能源", "样机", "投资", "王芳", "w@example.cn"],
    ]
    assert upload(client, delegation, xlsx_upload(rows), language="zh-hans").status_code == 302
    confirm(client, delegation)
    project = Project.objects.get()
    assert (project.title_zh, project.stage) == ("智慧港口", "prototype")
    assert sorted(project.fields.values_list("slug", flat=True)) == ["5g", "new-energy"]


def test_bad_rows_are_named_and_nothing_is_saved(client, delegation, head, fields):
    client.force_login(head)
    rows = [
        HEADER,
        ["", "", "5G; Quantum", "Pilot", "Investment", "Atlantis", "", "Li", "not-an-email"],
    ]
    response = upload(client, delegation, csv_upload(rows))
    errors = [(e.row, e.column, e.message) for e in response.context["preview"].errors]
    assert errors == [
        (2, "Title (English)", "Give the project a title in English or Chinese."),
        (2, "Summary (English)", "Describe the project in English or Chinese."),
        (2, "Fields", "No field is called “Quantum”."),
        (2, "Country or region sought", "No country or region is called “Atlantis”."),
        (2, "Contact email", "Enter a valid email address."),
    ]
    assert Project.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_template_in_chinese_imports_as_it_is(client, delegation, head, fields):
    client.force_login(head)
    response = client.get(
        url("projects:demand_import_template", delegation.pk, "xlsx", language="zh-hans")
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["标题（英文）", "标题（中文）", "简介（英文）"]
    file = SimpleUploadedFile("t.xlsx", response.content)
    assert upload(client, delegation, file, language="zh-hans").status_code == 302


def test_only_the_head_may_import(client, delegation, head, fields):
    representative = DelegationMemberFactory(delegation=delegation).user
    client.force_login(representative)
    assert upload(client, delegation, csv_upload(ROWS)).status_code == 404
    assert client.get(url("projects:demand_import", delegation.pk)).status_code == 404
    client.logout()
    response = client.get(url("projects:demand_import", delegation.pk))
    assert response.status_code == 302
    assert Project.objects.count() == 0
