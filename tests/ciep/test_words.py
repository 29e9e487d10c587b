"""Words that must read as a Chinese user expects, where one English word has two meanings
and the portal's translation once replaced Django's, allauth's or the other's."""

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext

from tests.conftest import sign_in_with_second_factor

WORDS = [
    # The admin's and allauth's own words keep their meaning.
    (None, "Change", "修改"),
    (None, "Delete", "删除"),
    (None, "History", "历史"),
    (None, "Filter", "过滤器"),
    (None, "Summary", "概览"),
    (None, "Current", "当前"),
    (None, "Verified", "已验证"),
    (None, "name", "名称"),
    # The portal's, each in its context.
    ("difference between editions", "Change", "变化"),
    ("forum", "session", "场次"),
    ("forum", "sessions", "场次"),
    ("forum", "Sessions", "场次"),
    ("session type", "Forum", "论坛"),
    ("project", "Summary", "项目简介"),
    ("talent", "Summary", "个人简介"),
    ("status history", "History", "进展记录"),
    ("search", "Filter", "筛选"),
    ("meeting", "Note", "备注"),
    ("person", "name", "姓名"),
    ("edition", "Current", "本届"),
    ("organisation", "Verified", "已认证"),
    ("exhibitor", "Profile", "展商简介"),
    (None, "Forum", "深圳论坛"),
    (None, "Profile", "个人资料"),
    (None, "Change password", "修改密码"),
]


@pytest.mark.parametrize(("context", "english", "chinese"), WORDS)
def test_word_reads_as_a_chinese_user_expects(context, english, chinese):
    with translation.override("zh-hans"):
        found = pgettext(context, english) if context else gettext(english)

    assert found == chinese


@pytest.mark.django_db
def test_admin_change_links_read_xiugai(client, organiser):
    sign_in_with_second_factor(client, organiser)

    page = client.get("/zh-hans/admin/").content.decode()

    assert page.count(">修改<") > 10
    assert "变化" not in page
