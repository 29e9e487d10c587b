import datetime

import pytest

from news.models import CommitteeMeeting, CommitteeMember, WorkPlanItem
from tests.conftest import sign_in, sign_in_with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(edition):
    CommitteeMember.objects.create(
        edition=edition,
        name_en="Wang Wei",
        name_zh="王伟",
        organisation_en="Ministry of Science and Technology",
        role_en="Chair",
        role_zh="主任",
    )
    CommitteeMember.objects.create(
        edition=edition,
        name_en="Hidden Member",
        organisation_en="Somewhere",
        role_en="Member",
        is_public=False,
    )
    CommitteeMeeting.objects.create(
        edition=edition,
        date=datetime.date(2022, 3, 1),
        place_en="Shenzhen",
        place_zh="深圳",
        agenda_en="The overall work plan and the composition of the committee.",
        is_public=True,
    )
    WorkPlanItem.objects.create(
        edition=edition,
        title_en="Secret task",
        owner_en="Secretariat",
        due_date=datetime.date(2022, 4, 1),
    )
    return edition


def test_committee_page_shows_only_what_organisers_made_public(client, user, committee):
    url = f"/editions/{committee.number}/committee/"
    for signed_in in (False, True):
        if signed_in:
            sign_in(client, user)
        body = client.get(url).content.decode()
        assert "Wang Wei" in body
        assert "The overall work plan" in body
        assert "Hidden Member" not in body
        assert "Secret task" not in body


def test_committee_page_shows_organisers_every_row_marked(client, organiser, committee):
    sign_in_with_second_factor(client, organiser)
    body = client.get(f"/editions/{committee.number}/committee/").content.decode()
    assert "Hidden Member" in body
    assert "Secret task" in body
    assert "Not public" in body


def test_committee_page_in_chinese_and_for_a_missing_edition(client, committee):
    body = client.get(f"/zh-hans/editions/{committee.number}/committee/").content.decode()
    assert "王伟" in body
    assert "主任" in body
    assert client.get("/editions/999/committee/").status_code == 404


def test_committee_page_is_cached_and_refreshed_when_a_row_is_published(client, committee):
    url = f"/editions/{committee.number}/committee/"
    assert client.get(url)["X-Page-Cache"] == "miss"
    assert client.get(url)["X-Page-Cache"] == "hit"
    item = WorkPlanItem.objects.get(title_en="Secret task")
    item.is_public = True
    item.save()
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Secret task" in response.content.decode()


def test_committee_page_query_count_does_not_grow(
    client, edition, django_assert_max_num_queries, django_assert_num_queries
):
    def add(n):
        for i in range(n):
            CommitteeMember.objects.create(
                edition=edition, name_en=f"M{i}", organisation_en="O", role_en="R"
            )

    add(1)
    url = f"/editions/{edition.number}/committee/"
    client.get(url)  # what every page reads once per process (the editions' numbers)
    with django_assert_max_num_queries(5) as one:
        client.get(url + "?a")
    add(20)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url + "?b")


def test_committee_admin_pages_load(client, organiser, committee):
    sign_in_with_second_factor(client, organiser)
    for name in ("committeemember", "committeemeeting", "workplanitem"):
        assert client.get(f"/admin/news/{name}/").status_code == 200
        assert client.get(f"/admin/news/{name}/add/").status_code == 200


def test_work_plan_item_move_by_organisers_only(organiser, committee):
    from django.core.exceptions import PermissionDenied

    from news.services import work_plan_item_move
    from tests.factories import UserFactory

    item = WorkPlanItem.objects.get()
    with pytest.raises(PermissionDenied):
        work_plan_item_move(item=item, state=WorkPlanItem.State.DONE, by=UserFactory())
    assert WorkPlanItem.objects.get().state == WorkPlanItem.State.PLANNED
    work_plan_item_move(item=item, state=WorkPlanItem.State.IN_PROGRESS, by=organiser)
    assert WorkPlanItem.objects.get().state == WorkPlanItem.State.IN_PROGRESS


def test_work_plan_admin_action_marks_tasks_done(client, organiser, committee):
    sign_in_with_second_factor(client, organiser)
    item = WorkPlanItem.objects.get()
    response = client.post(
        "/admin/news/workplanitem/", {"action": "mark_done", "_selected_action": [item.pk]}
    )
    assert response.status_code == 302
    assert WorkPlanItem.objects.get().state == WorkPlanItem.State.DONE
