"""Demo data of the forum: the nine sections of the 17th edition and the 20th's online programme.

Keyed on natural keys (edition + name or title), so a second run changes nothing. The 20th's
online exchange activities are dated relative to today when first created, so registration,
the waiting list and the agenda can be tried out at once.
"""

import datetime

from django.utils import timezone

from ciep.synthetic.demo import DemoContext
from ciep.synthetic.images import as_file, portrait

from ..models import (
    DelegationQuota,
    Registration,
    Section,
    Session,
    SessionSpeaker,
    Speaker,
    SubVenueEvent,
    Venue,
)

SECTIONS_17 = [
    ("opening", "Opening Ceremony", "开幕式"),
    ("forum", "Shenzhen Forum", "深圳论坛"),
    ("exhibitions", "Exhibitions and Negotiations", "展览洽谈"),
    ("conferences", "Professional Conferences", "专业会议"),
    ("guest", "Important Events of the Guest of Honor", "主宾国重要活动"),
    ("pitch", "Pitch@Palace China", "Pitch@Palace中国站"),
    (
        "competition",
        "China (Shenzhen) Innovation & Entrepreneurship International Competition",
        "中国（深圳）创新创业国际大赛",
    ),
    ("subvenues", "Domestic and Foreign Sub-venues", "国内外分会场"),
    ("online", "Online Platforms", "线上平台"),
]
SECTIONS_20 = [
    ("opening", "Virtual Opening Ceremony", "云开幕式"),
    ("forum", "Shenzhen Forum", "深圳论坛"),
    ("theme", "Theme Activities", "主题活动"),
    ("guest", "Important Events of the Guest of Honor", "主宾国重要活动"),
    ("subvenues", "Domestic and Foreign Sub-venues", "国内外分会场"),
]

VENUES_17 = [
    # key, kind, name_en, name_zh, city_en, city_zh, country, time zone
    (
        "hall1",
        "room",
        "Hall 1, Shenzhen Convention and Exhibition Center",
        "深圳会展中心1号馆",
        "Shenzhen",
        "深圳",
        "CN",
        "Asia/Shanghai",
    ),
    (
        "room5",
        "room",
        "Conference Room 5, Shenzhen Convention and Exhibition Center",
        "深圳会展中心5号会议室",
        "Shenzhen",
        "深圳",
        "CN",
        "Asia/Shanghai",
    ),
    (
        "zhuhai",
        "domestic",
        "Zhuhai sub-venue",
        "珠海分会场",
        "Zhuhai",
        "珠海",
        "CN",
        "Asia/Shanghai",
    ),
    (
        "moscow",
        "foreign",
        "Moscow sub-venue",
        "莫斯科分会场",
        "Moscow",
        "莫斯科",
        "RU",
        "Europe/Moscow",
    ),
    ("online", "online", "CIEP online platform", "大会线上平台", "", "", "CN", "Asia/Shanghai"),
]
VENUES_20 = [
    ("online", "online", "CIEP online platform", "大会线上平台", "", "", "CN", "Asia/Shanghai"),
    (
        "zhuhai",
        "domestic",
        "Zhuhai sub-venue",
        "珠海分会场",
        "Zhuhai",
        "珠海",
        "CN",
        "Asia/Shanghai",
    ),
    (
        "yancheng",
        "domestic",
        "Yancheng sub-venue",
        "盐城分会场",
        "Yancheng",
        "盐城",
        "CN",
        "Asia/Shanghai",
    ),
    (
        "studio",
        "room",
        "Broadcast studio, Shenzhen",
        "深圳直播演播室",
        "Shenzhen",
        "深圳",
        "CN",
        "Asia/Shanghai",
    ),
]

SPEAKERS = [
    # key, name_en, name_zh, title_en, title_zh, affiliation_en, affiliation_zh, country, bio_en
    (
        "wang",
        "Wang Zhigang",
        "王志刚",
        "Minister",
        "部长",
        "Ministry of Science and Technology",
        "科学技术部",
        "CN",
        "Minister of Science and Technology of the People's Republic of China.",
    ),
    (
        "lam",
        "Carrie Lam Cheng Yuet-ngor",
        "林郑月娥",
        "Chief Executive (2017–2022)",
        "行政长官（2017–2022）",
        "Hong Kong Special Administrative Region Government",
        "香港特别行政区政府",
        "HK",
        "The then-Chief Executive of the Hong Kong Special Administrative Region.",
    ),
    (
        "zhang",
        "Zhang Jianguo",
        "张建国",
        "Vice Minister",
        "副部长",
        "Ministry of Science and Technology (State Administration of Foreign Experts Affairs)",
        "科学技术部（国家外国专家局）",
        "CN",
        "Vice Minister of Science and Technology and Director of the State Administration of "
        "Foreign Experts Affairs.",
    ),
    (
        "zhanghan",
        "Professor Zhang Han",
        "张晗教授",
        "Professor",
        "教授",
        "Shenzhen University",
        "深圳大学",
        "CN",
        "Leads a research team in biomedical photonics at Shenzhen University.",
    ),
    (
        "sokolova",
        "Dr Elena Sokolova",
        "叶莲娜·索科洛娃博士",
        "Senior researcher",
        "高级研究员",
        "Moscow Institute of Applied Optics",
        "莫斯科应用光学研究所",
        "RU",
        "Works on photonic materials and their industrial applications.",
    ),
]


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _session(edition, section, venue, title_en, title_zh, start, hours, **fields) -> Session:
    speakers = fields.pop("speakers", [])
    session, _created = Session.objects.update_or_create(
        edition=edition,
        title_en=title_en,
        defaults={"title_zh": title_zh, "section": section, "venue": venue, **fields},
        create_defaults={
            "title_zh": title_zh,
            "section": section,
            "venue": venue,
            "start": start,
            "end": start + datetime.timedelta(hours=hours),
            **fields,
        },
    )
    for order, (speaker, role) in enumerate(speakers):
        SessionSpeaker.objects.get_or_create(
            session=session, speaker=speaker, defaults={"role": role, "order": order}
        )
    return session


def _sections(edition, rows):
    return {
        key: Section.objects.update_or_create(
            edition=edition, name_en=name_en, defaults={"name_zh": name_zh, "order": index}
        )[0]
        for index, (key, name_en, name_zh) in enumerate(rows, start=1)
    }


def _venues(edition, rows):
    venues = {}
    for index, (key, kind, name_en, name_zh, city_en, city_zh, country, zone) in enumerate(rows):
        venues[key], _ = Venue.objects.update_or_create(
            edition=edition,
            name_en=name_en,
            defaults={
                "kind": kind,
                "name_zh": name_zh,
                "city_en": city_en,
                "city_zh": city_zh,
                "country": country,
                "time_zone": zone,
                "order": index,
            },
        )
    return venues


def seed(demo: DemoContext) -> None:
    speakers = {}
    for key, name_en, name_zh, title_en, title_zh, aff_en, aff_zh, country, bio in SPEAKERS:
        speakers[key], _ = Speaker.objects.update_or_create(
            name_en=name_en,
            defaults={
                "name_zh": name_zh,
                "title_en": title_en,
                "title_zh": title_zh,
                "affiliation_en": aff_en,
                "affiliation_zh": aff_zh,
                "country": country,
                "biography_en": bio,
            },
        )
        if not speakers[key].photo:
            speakers[key].photo.save("portrait.png", as_file(portrait(name_en)))
    if speakers["sokolova"].user_id is None:
        speakers["sokolova"].user = demo.users["expert"]
        speakers["sokolova"].save(update_fields=["user", "updated_at"])

    _seed_17th(demo, speakers)
    _seed_20th(demo, speakers)


def _seed_17th(demo: DemoContext, speakers) -> None:
    edition = demo.editions[17]
    sections = _sections(edition, SECTIONS_17)
    venues = _venues(edition, VENUES_17)
    _first_day_17th(demo, speakers, sections, venues)
    _second_day_17th(demo, sections, venues)
    _away_17th(demo, speakers, sections, venues)


def _first_day_17th(demo: DemoContext, speakers, sections, venues) -> None:
    """The opening ceremony, the Shenzhen Forum and a matchmaking fair."""
    edition = demo.editions[17]
    day1, fields = edition.start_date, demo.fields
    opening = _session(
        edition,
        sections["opening"],
        venues["hall1"],
        "Opening Ceremony of the 17th CIEP",
        "第十七届中国国际人才交流大会开幕式",
        _at(day1, 9),
        1.5,
        kind="ceremony",
        format="offline",
        language=Session.BOTH_LANGUAGES,
        capacity=2000,
        abstract_en="Integrating global intelligence, promoting innovation cooperation, and "
        "seeking common development.",
        abstract_zh="汇聚全球智慧，促进创新合作，谋求共同发展。",
        stream_url="https://live.ciep.example/17/opening",
        replay_url="https://live.ciep.example/17/opening/replay",
        speakers=[(speakers["wang"], "keynote"), (speakers["zhang"], "speaker")],
    )
    if opening.live_views == 0:
        Session.objects.filter(pk=opening.pk).update(live_views=687000, replay_views=12000)
    _session(
        edition,
        sections["forum"],
        venues["hall1"],
        "Shenzhen Forum: innovation in the Greater Bay Area",
        "深圳论坛：粤港澳大湾区创新",
        _at(day1, 14),
        3,
        kind="forum",
        format="offline",
        language=Session.BOTH_LANGUAGES,
        capacity=800,
        abstract_en="The international sci-tech innovation centre of the Guangdong-Hong "
        "Kong-Macao Greater Bay Area.",
        abstract_zh="粤港澳大湾区国际科技创新中心建设。",
        speakers=[(speakers["zhanghan"], "speaker")],
    ).fields.set([fields["biomedical-photonics"], fields["artificial-intelligence"]])
    _session(
        edition,
        sections["exhibitions"],
        venues["room5"],
        "Overseas High-level Talent Project Matchmaking Fair",
        "海外高层次人才项目对接会",
        _at(day1, 14),
        2,
        kind="matchmaking",
        format="offline",
        language="zh",
        capacity=150,
        organising_delegation=demo.delegations[(17, "yancheng")],
    )


def _second_day_17th(demo: DemoContext, sections, venues) -> None:
    """A conference, the guest of honour's day and the two competitions."""
    edition = demo.editions[17]
    day2, fields = edition.end_date, demo.fields
    _session(
        edition,
        sections["conferences"],
        venues["room5"],
        "Knowledge-intensive service industries conference",
        "知识密集型服务业专业会议",
        _at(day2, 9),
        2,
        kind="conference",
        format="offline",
        language=Session.BOTH_LANGUAGES,
        capacity=200,
        organising_organisation=demo.organisations["jiangsu-talent"],
    ).fields.set([fields["intelligent-manufacturing"]])
    _session(
        edition,
        sections["guest"],
        venues["hall1"],
        "United Kingdom, Guest of Honor: innovation day",
        "主宾国英国创新日",
        _at(day2, 9),
        2,
        kind="theme_activity",
        format="offline",
        language="en",
        capacity=300,
        guest_country="GB",
    )
    _session(
        edition,
        sections["pitch"],
        venues["hall1"],
        "Pitch@Palace China 3.0 final",
        "Pitch@Palace中国站3.0总决赛",
        _at(day2, 14),
        3,
        kind="competition",
        format="offline",
        language="en",
        capacity=500,
        organising_organisation=demo.organisations["pitch"],
        guest_country="GB",
    ).fields.set([fields["fintech"], fields["information-technology"]])
    _session(
        edition,
        sections["competition"],
        venues["room5"],
        "Innovation & Entrepreneurship International Competition: award ceremony",
        "创新创业国际大赛颁奖典礼",
        _at(day2, 16),
        1.5,
        kind="competition",
        format="offline",
        language=Session.BOTH_LANGUAGES,
        capacity=300,
    )


def _away_17th(demo: DemoContext, speakers, sections, venues) -> None:
    """Sessions at the sub-venues, at home and abroad, and online."""
    edition = demo.editions[17]
    day1, fields = edition.start_date, demo.fields
    _session(
        edition,
        sections["subvenues"],
        venues["zhuhai"],
        "Zhuhai sub-venue: talent and projects of the Greater Bay Area",
        "珠海分会场：大湾区人才与项目",
        _at(day1, 10),
        3,
        kind="theme_activity",
        format="offline",
        language="zh",
        capacity=200,
        organising_delegation=demo.delegations[(17, "zhuhai")],
    )
    _session(
        edition,
        sections["subvenues"],
        venues["moscow"],
        "Moscow sub-venue: Russian experts for Hebei",
        "莫斯科分会场：俄罗斯专家对接河北",
        _at(day1, 15),
        2,
        kind="matchmaking",
        format="hybrid",
        language=Session.BOTH_LANGUAGES,
        capacity=60,
        organising_delegation=demo.delegations[(17, "hebei")],
        speakers=[(speakers["sokolova"], "speaker")],
        guest_country="RU",
    ).fields.set([fields["new-materials"]])
    _session(
        edition,
        sections["online"],
        venues["online"],
        "'Talent SHOW' online platform: requests for talents and projects",
        "“人才秀”线上平台：人才与项目需求发布",
        _at(day1, 10),
        8,
        kind="theme_activity",
        format="online",
        language="zh",
        capacity=None,
        organising_organisation=demo.organisations["hebei-most"],
    )


def _seed_20th(demo: DemoContext, speakers) -> None:
    edition = demo.editions[20]
    sections = _sections(edition, SECTIONS_20)
    venues = _venues(edition, VENUES_20)
    _opening_20th(edition, speakers, sections, venues)
    matchmaking, workshop = _theme_activities_20th(demo, speakers, sections, venues)
    _guests_20th(demo, speakers, sections, venues)
    _registrations_20th(demo, matchmaking, workshop)
    _sub_venue_events_20th(demo, sections, venues)


def _opening_20th(edition, speakers, sections, venues) -> None:
    """The virtual opening ceremony and the Shenzhen Forum, held on the first day."""
    day = edition.start_date
    _session(
        edition,
        sections["opening"],
        venues["online"],
        "Virtual Opening Ceremony of the 20th CIEP",
        "第二十届中国国际人才交流大会云开幕式",
        _at(day, 9),
        1,
        kind="ceremony",
        format="online",
        language=Session.BOTH_LANGUAGES,
        capacity=None,
        abstract_en="Innovation, Development, Cooperation and Win-win.",
        abstract_zh="创新、发展、合作、共赢。",
        stream_url="https://live.ciep.example/20/opening",
        replay_url="https://live.ciep.example/20/opening/replay",
        speakers=[(speakers["wang"], "keynote"), (speakers["lam"], "keynote")],
    )
    _session(
        edition,
        sections["forum"],
        venues["online"],
        "Shenzhen Forum: sharing China's opportunities for technological innovation",
        "深圳论坛：共享中国科技创新机遇",
        _at(day, 10, 30),
        2,
        kind="forum",
        format="online",
        language=Session.BOTH_LANGUAGES,
        capacity=None,
        replay_url="https://live.ciep.example/20/forum/replay",
        speakers=[(speakers["zhanghan"], "speaker")],
    )


def _theme_activities_20th(demo: DemoContext, speakers, sections, venues) -> tuple:
    """Theme activities in the coming weeks (their registrations open); the matchmaking and
    the small workshop are returned for their registrations."""
    edition, today = demo.editions[20], timezone.localdate()
    matchmaking = _session(
        edition,
        sections["theme"],
        venues["studio"],
        "Online exchange: international talent for intelligent manufacturing",
        "线上交流：智能制造国际人才对接",
        _at(today + datetime.timedelta(days=7), 10),
        2,
        kind="matchmaking",
        format="hybrid",
        language=Session.BOTH_LANGUAGES,
        capacity=40,
        organising_delegation=demo.delegations[(20, "jiangsu")],
    )
    matchmaking.fields.set([demo.fields["intelligent-manufacturing"]])
    workshop = _session(
        edition,
        sections["theme"],
        venues["studio"],
        "Workshop: biomedical photonics cooperation (small group)",
        "研讨会：生物医学光子学合作（小组）",
        _at(today + datetime.timedelta(days=3), 14),
        1.5,
        kind="theme_activity",
        format="offline",
        language="en",
        capacity=2,
        speakers=[(speakers["zhanghan"], "moderator"), (speakers["sokolova"], "panellist")],
    )
    workshop.fields.set([demo.fields["biomedical-photonics"]])
    _session(
        edition,
        sections["theme"],
        venues["online"],
        "Online exchange: 5G and new energy projects",
        "线上交流：5G与新能源项目",
        _at(today + datetime.timedelta(days=14), 15),
        2,
        kind="theme_activity",
        format="online",
        language="en",
        capacity=500,
        stream_url="https://live.ciep.example/20/5g",
    ).fields.set([demo.fields["5g"], demo.fields["new-energy"]])
    return matchmaking, workshop


def _guests_20th(demo: DemoContext, speakers, sections, venues) -> None:
    """The events of the guest of honour (the United Kingdom) and the observer (Russia)."""
    edition, today = demo.editions[20], timezone.localdate()
    _session(
        edition,
        sections["guest"],
        venues["online"],
        "United Kingdom, Guest of Honour: online innovation day",
        "主宾国英国线上创新日",
        _at(today + datetime.timedelta(days=10), 16),
        2,
        kind="forum",
        format="online",
        language="en",
        capacity=None,
        guest_country="GB",
        organising_organisation=demo.organisations["pitch"],
    ).fields.set([demo.fields["fintech"]])
    _session(
        edition,
        sections["guest"],
        venues["online"],
        "Russia, Observer: new materials and photonics exchange",
        "观察员国俄罗斯：新材料与光子学交流",
        _at(today + datetime.timedelta(days=12), 15),
        1.5,
        kind="theme_activity",
        format="online",
        language="zh_en",
        capacity=None,
        guest_country="RU",
        speakers=[(speakers["sokolova"], "speaker")],
    ).fields.set([demo.fields["new-materials"]])


def _registrations_20th(demo: DemoContext, matchmaking, workshop) -> None:
    """The small workshop is full, with someone waiting: cancelling shows the promotion."""
    for user, status in (
        (demo.users["expert"], Registration.Status.CONFIRMED),
        (demo.users["exhibitor"], Registration.Status.CONFIRMED),
        (demo.users["representative"], Registration.Status.WAITING),
    ):
        _register_once(workshop, user, status)
    _register_once(matchmaking, demo.users["visitor"], Registration.Status.CONFIRMED)
    DelegationQuota.objects.get_or_create(
        session=matchmaking, delegation=demo.delegations[(20, "jiangsu")], defaults={"places": 5}
    )


def _register_once(session: Session, user, status: str) -> Registration | None:
    """Register ``user`` as the demo wants, unless they ever registered for ``session``.

    Loading the demo again keeps what people did since: someone who cancelled stays
    cancelled, and a seat taken since (a promotion from the waiting list) is not given twice.
    A confirmed seat is given only while seats remain, as ``registration_create`` would.
    """
    if Registration.objects.filter(session=session, user=user).exists():
        return None
    if status == Registration.Status.CONFIRMED and session.capacity is not None:
        taken = session.registrations.filter(status=Registration.Status.CONFIRMED).count()
        if taken >= session.capacity:
            status = Registration.Status.WAITING
    return Registration.objects.create(
        session=session, user=user, status=status, registered_by=user
    )


# Sub-venue events the cities proposed and the organisers approved: Zhuhai's, which Guangdong
# helped it hold, and Yancheng's matchmaking fair (day offset, hour, hours, kind, capacity).
SUB_VENUE_EVENTS_20 = [
    (
        "zhuhai",
        "Zhuhai sub-venue: talent and projects of the Greater Bay Area",
        "珠海分会场：大湾区人才与项目",
        "Zhuhai presents its talent policies and the Greater Bay Area's projects.",
        "珠海市介绍人才政策与粤港澳大湾区项目。",
        (10, 10, 3, "theme_activity", 120, "zh"),
    ),
    (
        "yancheng",
        "Overseas High-level Talent Project Matchmaking Fair",
        "海外高层次人才项目对接会",
        "Yancheng City matches overseas high-level talents with its enterprises' projects.",
        "盐城市为海外高层次人才与本地企业项目牵线对接。",
        (21, 14, 2.5, "matchmaking", 80, "zh_en"),
    ),
]


def _sub_venue_events_20th(demo: DemoContext, sections, venues) -> None:
    """Each approved proposal and its session in the programme, created once."""
    edition, today = demo.editions[20], timezone.localdate()
    for key, title_en, title_zh, text_en, text_zh, plan in SUB_VENUE_EVENTS_20:
        days, hour, hours, kind, capacity, language = plan
        delegation = demo.delegations[(20, key)]
        start = _at(today + datetime.timedelta(days=days), hour)
        session = _session(
            edition,
            sections["subvenues"],
            venues[key],
            title_en,
            title_zh,
            start,
            hours,
            kind=kind,
            format="offline",
            language=language,
            capacity=capacity,
            abstract_en=text_en,
            abstract_zh=text_zh,
            organising_delegation=delegation,
        )
        SubVenueEvent.objects.get_or_create(
            edition=edition,
            delegation=delegation,
            title_en=title_en,
            defaults={
                "title_zh": title_zh,
                "description_en": text_en,
                "description_zh": text_zh,
                "proposed_by": demo.users["delegate"] if key == "yancheng" else None,
                "section": sections["subvenues"],
                "kind": kind,
                "venue": venues[key],
                "time_zone": venues[key].time_zone,
                "start": session.start,
                "end": session.end,
                "capacity": capacity,
                "language": language,
                "state": SubVenueEvent.State.APPROVED,
                "reviewed_at": timezone.now(),
                "session": session,
            },
        )
