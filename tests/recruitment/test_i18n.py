from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core import mail

from recruitment import services
from tests.factories import MembershipFactory

from .factories import ApplicationFactory, JobPostingFactory

CATALOGUE = Path(settings.BASE_DIR) / "recruitment/locale/zh_Hans/LC_MESSAGES/django.po"


def test_chinese_catalogue_is_complete():
    catalogue = polib.pofile(str(CATALOGUE))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []
    assert len(catalogue) > 300


@pytest.mark.django_db
def test_job_list_in_chinese_shows_chinese_titles_and_labels(client, edition):
    JobPostingFactory(title_en="Laser engineer", title_zh="激光工程师")
    body = client.get("/zh-hans/jobs/").content.decode()
    assert "激光工程师" in body
    assert "面向外国专家和人才的职位" in body
    assert "月薪不低于（人民币元）" in body


@pytest.mark.django_db
def test_state_email_in_the_talents_language(edition):
    membership = MembershipFactory()
    application = ApplicationFactory(
        posting=JobPostingFactory(organisation=membership.organisation)
    )
    application.talent.user.preferred_language = "zh"
    application.talent.user.save()
    services.application_shortlist(application=application, by=membership.user)
    assert mail.outbox[0].subject.endswith("：已入围")
    assert "当前状态：已入围" in mail.outbox[0].body
