"""The news' part of the demo (``seed_demo``): an article about each guest country of the 17th
and 20th editions, published, keyed on its English title so that loading again changes
nothing."""

from datetime import datetime, time

from django.utils import timezone

from news.models import Article

# edition, country, title_en, title_zh, summary_en, summary_zh
GUEST_ARTICLES = [
    (
        17,
        "GB",
        "The United Kingdom, guest of honour, holds its innovation day",
        "主宾国英国举办创新日活动",
        "British universities and innovation platforms met Chinese partners at the 17th CIEP, "
        "ahead of the Pitch@Palace China 3.0 final.",
        "英国高校和创新平台在第十七届人才交流大会上与中方伙伴交流，并迎来Pitch@Palace中国3.0总决赛。",
    ),
    (
        17,
        "RU",
        "Russian experts meet Hebei at the Moscow sub-venue",
        "俄罗斯专家在莫斯科分会场对接河北",
        "Hebei Province invited 11 Russian high-end experts for project matchmaking; Russia "
        "took part in the 17th CIEP as its observer.",
        "河北省邀请11名俄罗斯高端专家开展项目对接；俄罗斯作为观察员国参加第十七届人才交流大会。",
    ),
    (
        20,
        "GB",
        "The United Kingdom brings its innovation day online",
        "主宾国英国线上举办创新日",
        "The guest of honour of the 20th CIEP presents its universities and start-ups in an "
        "online forum.",
        "第二十届人才交流大会主宾国英国在线上论坛展示其高校与初创企业。",
    ),
    (
        20,
        "RU",
        "Russia, observer of the 20th CIEP, shows new materials and photonics",
        "观察员国俄罗斯展示新材料与光子学成果",
        "Russian research institutes exhibit online and meet the delegations of China's provinces.",
        "俄罗斯科研院所线上参展，与各省代表团交流对接。",
    ),
]


def seed(demo) -> None:
    for number, country, title_en, title_zh, summary_en, summary_zh in GUEST_ARTICLES:
        edition = demo.editions[number]
        Article.objects.update_or_create(
            title_en=title_en,
            defaults={
                "edition": edition,
                "category": Article.Category.NEWS,
                "title_zh": title_zh,
                "summary_en": summary_en,
                "summary_zh": summary_zh,
                "body_en": summary_en,
                "body_zh": summary_zh,
                "countries": [country],
                "state": Article.State.PUBLISHED,
                "published_at": timezone.make_aware(datetime.combine(edition.start_date, time(18))),
            },
        )
