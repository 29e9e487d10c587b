"""A delegation's head imports talent demands from a spreadsheet, on the Chinese pages."""

import csv

import pytest

from ciep.models import DelegationMember
from recruitment.models import TalentDemand
from tests.browser.test_accessibility import axe_violations
from tests.browser.test_projects import sign_in
from tests.factories import DelegationMemberFactory, FieldFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HEADER = ["标题（英文）", "标题（中文）", "领域", "层次", "需求人数", "需求说明（英文）"]


def _csv(path, rows, encoding):
    with open(path, "w", newline="", encoding=encoding) as out:
        csv.writer(out).writerows(rows)
    return str(path)


def test_head_imports_talent_demands_in_chinese(browser, delegation, tmp_path):
    FieldFactory(slug="biomedicine", name_en="Biomedicine", name_zh="生物医药")
    head = DelegationMemberFactory(delegation=delegation, role=DelegationMember.Role.HEAD).user
    sign_in(browser, head)

    browser.get(f"/zh-hans/delegations/{delegation.pk}/")
    browser.click(f"a[href='/zh-hans/jobs/demands/import/{delegation.pk}/']")
    browser.wait_for_text("导入人才需求", "main h1")
    assert browser.find("a[href$='template.xlsx']").text == "Excel 模板（.xlsx）"

    bad = [HEADER, ["Doctors", "医生", "生物医药", "首席", "2", "Work in the hospital."]]
    browser.find("#id_file").send_keys(_csv(tmp_path / "bad.csv", bad, "gb18030"))
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("尚未导入任何内容", "main")
    assert browser.find("#import-errors tbody").text == "2 层次 “首席”不是可选的层次。"
    assert TalentDemand.objects.count() == 0
    assert axe_violations(browser) == []

    good = [
        HEADER,
        ["Doctors", "医生", "生物医药", "高级专家", "2", "Work in the hospital."],
        ["Nurses", "护士", "biomedicine", "青年人才", "", "Care for patients."],
    ]
    browser.find("#id_file").send_keys(_csv(tmp_path / "good.csv", good, "utf-8-sig"))
    browser.submit("main form button[type=submit]")
    browser.wait_for_text("2 行可以导入", "main")
    assert [row.text.split()[0] for row in browser.find_all("#import-good-rows tbody tr")] == [
        "2",
        "3",
    ]
    assert axe_violations(browser) == []
    browser.click("#import-confirm")
    browser.wait_for_text("已导入 2 行。")
    assert sorted(TalentDemand.objects.values_list("title_zh", "level", "number")) == [
        ("医生", "senior", 2),
        ("护士", "young", 1),
    ]
    browser.driver.back()  # the preview again: it says the file was imported, once
    browser.driver.refresh()
    browser.wait_for_text("此文件已导入：2 行。", "main")
    assert TalentDemand.objects.count() == 2
