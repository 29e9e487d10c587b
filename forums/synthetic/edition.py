"""The forum's part of a synthetic edition: sections, venues, sessions, speakers, registrations.

Called by ``generate_edition`` through ``Area.generate`` once the core has made the edition.
Exactly ``--events`` sessions are scheduled (a few more are cancelled, which the report does
not count) and exactly ``--registrations`` registrations of scheduled sessions are confirmed;
waiting lists, cancelled registrations, check-ins, quotas, feedback and bookmarks come on top,
as they would at a real edition. Every row goes in with bulk inserts; the only randomness is
``ctx.rng``. The people it needs (speakers with their accounts, registrants) have addresses
keyed on the edition's number, and a second run for that number deletes them first: sessions,
sections and venues go with the edition by cascade.
"""

import math
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from ciep.models import Format, Language, Organisation, User
from ciep.synthetic.edition import FIELD_NAMES, GenerationContext, bulk
from ciep.synthetic.images import attach, portrait

from ..models import (
    CHINA_TIME_ZONE,
    Attendance,
    Bookmark,
    DelegationQuota,
    Feedback,
    Registration,
    Section,
    Session,
    SessionSpeaker,
    Speaker,
    Venue,
)

EMAIL_DOMAIN = "generated.example"

# key, English, Chinese, session kind, weight among the sessions after the first of each.
SECTIONS = [
    ("opening", "Opening Ceremony", "开幕式", Session.Kind.CEREMONY, 0),
    ("forum", "Shenzhen Forum", "深圳论坛", Session.Kind.FORUM, 18),
    ("conferences", "Professional Conferences", "专业会议", Session.Kind.CONFERENCE, 28),
    ("exhibitions", "Exhibitions and Negotiations", "展览洽谈", Session.Kind.MATCHMAKING, 10),
    ("guest", "Important Events of the Guest of Honor", "主宾国重要活动", Session.Kind.FORUM, 6),
    ("pitch", "Pitch@Palace China", "Pitch@Palace中国站", Session.Kind.COMPETITION, 3),
    (
        "competition",
        "China (Shenzhen) Innovation & Entrepreneurship International Competition",
        "中国（深圳）创新创业国际大赛",
        Session.Kind.COMPETITION,
        4,
    ),
    (
        "subvenues",
        "Domestic and Foreign Sub-venues",
        "国内外分会场",
        Session.Kind.THEME_ACTIVITY,
        12,
    ),
    ("online", "Online Platforms", "线上平台", Session.Kind.THEME_ACTIVITY, 14),
]
SECTION_KINDS = {key: kind for key, _en, _zh, kind, _weight in SECTIONS}
MAIN_VENUE_EN = "Shenzhen Convention and Exhibition Center"
MAIN_VENUE_ZH = "深圳会展中心"
# Four 90-minute slots a day in each room of the main venue, over the edition's two days.
ROOM_SLOTS = [time(9, 0), time(10, 45), time(14, 0), time(15, 45)]
ROOM_DAYS = 2
SUBVENUE_SLOTS = [time(10, 0), time(14, 30)]
# name_en, name_zh, city_en, city_zh, country, time zone; domestic first.
SUBVENUES = [
    ("Zhuhai sub-venue", "珠海分会场", "Zhuhai", "珠海", "CN", CHINA_TIME_ZONE),
    ("Suzhou sub-venue", "苏州分会场", "Suzhou", "苏州", "CN", CHINA_TIME_ZONE),
    ("Qingdao sub-venue", "青岛分会场", "Qingdao", "青岛", "CN", CHINA_TIME_ZONE),
    ("Xiamen sub-venue", "厦门分会场", "Xiamen", "厦门", "CN", CHINA_TIME_ZONE),
    ("Yancheng sub-venue", "盐城分会场", "Yancheng", "盐城", "CN", CHINA_TIME_ZONE),
    ("Dalian sub-venue", "大连分会场", "Dalian", "大连", "CN", CHINA_TIME_ZONE),
    ("Moscow sub-venue", "莫斯科分会场", "Moscow", "莫斯科", "RU", "Europe/Moscow"),
    ("London sub-venue", "伦敦分会场", "London", "伦敦", "GB", "Europe/London"),
    ("Tel Aviv sub-venue", "特拉维夫分会场", "Tel Aviv", "特拉维夫", "IL", "Asia/Jerusalem"),
    ("Helsinki sub-venue", "赫尔辛基分会场", "Helsinki", "赫尔辛基", "FI", "Europe/Helsinki"),
    ("Munich sub-venue", "慕尼黑分会场", "Munich", "慕尼黑", "DE", "Europe/Berlin"),
    ("Tokyo sub-venue", "东京分会场", "Tokyo", "东京", "JP", "Asia/Tokyo"),
]

# Titles per section: (English, Chinese) with {field} / {field_zh}, and {city} for sub-venues.
TITLES = {
    "forum": [
        ("Shenzhen Forum: Talent for {field}", "深圳论坛：{field_zh}人才发展"),
        ("High-level Forum on {field} Talent Exchange", "{field_zh}人才交流高端论坛"),
        ("Belt and Road Forum on {field} Cooperation", "“一带一路”{field_zh}合作论坛"),
    ],
    "conferences": [
        ("International Conference on {field}", "{field_zh}国际会议"),
        ("Seminar on Introducing Foreign Experts in {field}", "{field_zh}领域引进外国专家研讨会"),
        ("Overseas Talent Conference: {field}", "{field_zh}海外人才大会"),
        ("Roundtable on {field} Research Cooperation", "{field_zh}科研合作圆桌会议"),
    ],
    "exhibitions": [
        ("{field} Talent and Project Matchmaking Fair", "{field_zh}人才项目对接会"),
        ("Negotiation Session: {field} Projects", "{field_zh}项目洽谈会"),
    ],
    "guest": [
        ("UK–China {field} Cooperation Forum", "中英{field_zh}合作论坛"),
        ("Guest of Honour Country Day: {field}", "主宾国日：{field_zh}"),
    ],
    "pitch": [
        ("Pitch@Palace China: {field} Start-ups", "Pitch@Palace中国站：{field_zh}初创企业路演")
    ],
    "competition": [
        ("Innovation & Entrepreneurship Competition: {field} Final", "创新创业大赛{field_zh}决赛"),
    ],
    "subvenues": [
        ("{city} Sub-venue: {field} Talent Exchange", "{city_zh}分会场：{field_zh}人才交流活动"),
        ("{city} Sub-venue: {field} Project Roadshow", "{city_zh}分会场：{field_zh}项目路演"),
    ],
    "online": [
        ("Online Theme Activity: Careers in {field}", "线上主题活动：{field_zh}职业发展"),
        ("Cloud Matchmaking: {field} Projects", "云对接：{field_zh}项目"),
        ("Live Talk: Foreign Experts on {field}", "直播访谈：外国专家谈{field_zh}"),
    ],
}
ABSTRACT_EN = (
    "Experts, entrepreneurs and officials from China and abroad discuss how talent, "
    "capital and projects in {field} can meet, and what the conference can do to help."
)
ABSTRACT_ZH = (
    "来自国内外的专家、企业家和政府代表共同探讨{field_zh}领域人才、资本与项目如何对接，"
    "以及大会能提供哪些帮助。"
)

SURNAMES = [
    ("Wang", "王"),
    ("Li", "李"),
    ("Zhang", "张"),
    ("Liu", "刘"),
    ("Chen", "陈"),
    ("Yang", "杨"),
    ("Huang", "黄"),
    ("Zhao", "赵"),
    ("Wu", "吴"),
    ("Zhou", "周"),
    ("Xu", "徐"),
    ("Sun", "孙"),
    ("Ma", "马"),
    ("Zhu", "朱"),
    ("Hu", "胡"),
    ("Guo", "郭"),
    ("Lin", "林"),
    ("Luo", "罗"),
]
GIVEN_NAMES = [
    ("Wei", "伟"),
    ("Fang", "芳"),
    ("Min", "敏"),
    ("Jing", "静"),
    ("Lei", "磊"),
    ("Qiang", "强"),
    ("Jun", "军"),
    ("Hui", "慧"),
    ("Tao", "涛"),
    ("Ming", "明"),
    ("Xiaohong", "晓红"),
    ("Jianguo", "建国"),
    ("Zhiqiang", "志强"),
    ("Haiyan", "海燕"),
    ("Yufei", "宇飞"),
    ("Jiahui", "嘉慧"),
]
# Foreign names with their usual Chinese transliteration, and a country they come from.
FOREIGN_FIRST = [
    ("David", "大卫"),
    ("Anna", "安娜"),
    ("Michael", "迈克尔"),
    ("Maria", "玛丽亚"),
    ("Thomas", "托马斯"),
    ("Elena", "埃琳娜"),
    ("James", "詹姆斯"),
    ("Sophie", "索菲"),
    ("Alexander", "亚历山大"),
    ("Laura", "劳拉"),
]
FOREIGN_LAST = [
    ("Smith", "史密斯", "GB"),
    ("Müller", "穆勒", "DE"),
    ("Ivanov", "伊万诺夫", "RU"),
    ("Cohen", "科恩", "IL"),
    ("Rossi", "罗西", "IT"),
    ("Martin", "马丁", "FR"),
    ("Johansson", "约翰松", "SE"),
    ("Virtanen", "维尔塔宁", "FI"),
    ("Brown", "布朗", "US"),
    ("Kovalenko", "科瓦连科", "UA"),
]
SPEAKER_TITLES = [
    ("Professor", "教授"),
    ("Chief Scientist", "首席科学家"),
    ("Director", "主任"),
    ("President", "总裁"),
    ("Academician", "院士"),
    ("Founder and CEO", "创始人兼首席执行官"),
    ("Vice Minister", "副部长"),
    ("Senior Researcher", "高级研究员"),
]


def generate(ctx: GenerationContext) -> None:
    """Add the edition's programme and its registrations (see the module's docstring).

    Raises ``ValueError`` (which the command reports) for registrations without events.
    """
    events = ctx.options.get("events", 0)
    registrations = ctx.options.get("registrations", 0)
    if registrations and not events:
        raise ValueError("Registrations need sessions to register for: give --events.")
    number = ctx.edition.number
    _delete_generated_people(number)
    if not events:
        return
    _Programme(ctx, events, registrations).build()


def _person_email(kind: str, number: int, index: int) -> str:
    return f"{kind}-{number}-{index + 1}@{EMAIL_DOMAIN}"


def _delete_generated_people(number: int) -> None:
    """Delete the speakers and accounts made for edition ``number`` by an earlier run."""
    accounts = User.objects.filter(
        Q(email__startswith=f"speaker-{number}-") | Q(email__startswith=f"registrant-{number}-"),
        email__endswith=f"@{EMAIL_DOMAIN}",
    )
    Speaker.objects.filter(user__in=accounts).delete()
    accounts.delete()


def _distribute(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up exactly."""
    weight_sum = sum(weights)
    shares = [total * weight / weight_sum for weight in weights]
    parts = [math.floor(share) for share in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (parts[i] - shares[i], i))
    for index in by_remainder[: total - sum(parts)]:
        parts[index] += 1
    return parts


class _Programme:
    def __init__(self, ctx: GenerationContext, events: int, registrations: int):
        self.ctx = ctx
        self.rng = ctx.rng
        self.edition = ctx.edition
        self.number = ctx.edition.number
        self.events = events
        self.registrations = registrations
        self.china = ZoneInfo(CHINA_TIME_ZONE)
        self.fields = list(zip(ctx.field_ids, FIELD_NAMES, strict=False))

    def at(self, day: int, moment: time, zone: str = CHINA_TIME_ZONE) -> datetime:
        return datetime.combine(
            self.edition.start_date + timedelta(days=day), moment, tzinfo=ZoneInfo(zone)
        )

    def build(self) -> None:
        plan = self.plan_sessions()
        sections = self.create_sections(plan)
        venues, plan = self.place_sessions(plan)
        speakers = self.create_speakers(len(plan))
        sessions = self.create_sessions(plan, sections, venues)
        self.create_speaker_roles(sessions, speakers)
        self.create_registrations(sessions)

    # --- Sessions --------------------------------------------------------------------------

    def plan_sessions(self) -> list[dict]:
        """Which section each session belongs to and whether it is cancelled."""
        rng = self.rng
        cancelled = self.events // 20
        total = self.events + cancelled
        keys = [key for key, *_rest in SECTIONS]
        weights = [weight for *_rest, weight in SECTIONS]
        # The opening ceremony first, then one session in every section while there are
        # enough, then the rest by weight.
        chosen = keys[: min(total, len(keys))]
        chosen += rng.choices(keys[1:], weights=weights[1:], k=total - len(chosen))
        cancelled_indexes = set(rng.sample(range(1, total), cancelled)) if cancelled else set()
        return [
            {"section": key, "cancelled": index in cancelled_indexes}
            for index, key in enumerate(chosen)
        ]

    def create_sections(self, plan: list[dict]) -> dict[str, Section]:
        used = {item["section"] for item in plan}
        rows = [
            Section(edition=self.edition, name_en=name_en, name_zh=name_zh, order=order)
            for order, (key, name_en, name_zh, _kind, _weight) in enumerate(SECTIONS, start=1)
            if key in used
        ]
        rows = bulk(Section, rows, self.ctx.progress, "forum sections")
        by_name = {section.name_en: section for section in rows}
        return {key: by_name[name_en] for key, name_en, *_rest in SECTIONS if key in used}

    def place_sessions(self, plan: list[dict]) -> tuple[list[Venue], list[dict]]:
        """Give every session a venue and a time; no room or sub-venue holds two at once."""
        main = [item for item in plan if item["section"] not in ("subvenues", "online")]
        venues = self.place_in_rooms(main)
        away = [item for item in plan if item["section"] == "subvenues"]
        venues += self.place_at_subvenues(away, len(venues))
        online = [item for item in plan if item["section"] == "online"]
        venues += self.place_online(online, len(venues))
        venues = bulk(Venue, venues, self.ctx.progress, "forum venues")
        return venues, plan

    def place_in_rooms(self, main: list[dict]) -> list[Venue]:
        """The main venue's rooms, the first of them the hall of the opening ceremony."""
        rng = self.rng
        # Nothing else runs while the opening ceremony (the first session) is on.
        rooms = max(1, math.ceil((len(main) - 1) / (len(ROOM_SLOTS) * ROOM_DAYS - 1)))
        venues = [
            Venue(
                edition=self.edition,
                kind=Venue.Kind.ROOM,
                name_en=(
                    f"Hall 1, {MAIN_VENUE_EN}"
                    if index == 0
                    else f"Conference Room {index}, {MAIN_VENUE_EN}"
                ),
                name_zh=(
                    f"{MAIN_VENUE_ZH}1号馆" if index == 0 else f"{MAIN_VENUE_ZH}{index}号会议室"
                ),
                city_en="Shenzhen",
                city_zh="深圳",
                address="Fuhua 3rd Road, Futian District, Shenzhen",
                order=index + 1,
            )
            for index in range(rooms)
        ]
        for index, item in enumerate(main):
            position = index + rooms - 1 if index else 0
            room, rest = position % rooms, position // rooms
            item["venue"] = room
            item["start"] = self.at(rest // len(ROOM_SLOTS), ROOM_SLOTS[rest % len(ROOM_SLOTS)])
            item["minutes"] = 90
            item["capacity"] = 2000 if room == 0 else rng.choice((120, 200, 300, 500))
        return venues

    def place_at_subvenues(self, away: list[dict], rooms: int) -> list[Venue]:
        """Sub-venues in other cities and abroad; ``rooms`` venues come before them."""
        rng = self.rng
        venues = []
        used_subvenues = SUBVENUES[: min(len(away), len(SUBVENUES))]
        for index, (name_en, name_zh, city_en, city_zh, country, zone) in enumerate(used_subvenues):
            venues.append(
                Venue(
                    edition=self.edition,
                    kind=Venue.Kind.DOMESTIC if country == "CN" else Venue.Kind.FOREIGN,
                    name_en=name_en,
                    name_zh=name_zh,
                    city_en=city_en,
                    city_zh=city_zh,
                    country=country,
                    time_zone=zone,
                    order=100 + index,
                )
            )
        for position, item in enumerate(away):
            index, rest = position % len(used_subvenues), position // len(used_subvenues)
            item["venue"] = rooms + index
            item["city"] = used_subvenues[index]
            # Local time of the sub-venue; beyond the edition's days they carry on after it.
            item["start"] = self.at(
                rest // len(SUBVENUE_SLOTS),
                SUBVENUE_SLOTS[rest % len(SUBVENUE_SLOTS)],
                used_subvenues[index][5],
            )
            item["minutes"] = 180
            item["capacity"] = rng.choice((80, 150, 300))
        return venues

    def place_online(self, online: list[dict], before: int) -> list[Venue]:
        """The online platform, if any session is online; ``before`` venues come first."""
        rng = self.rng
        venues = []
        if online:
            venues.append(
                Venue(
                    edition=self.edition,
                    kind=Venue.Kind.ONLINE,
                    name_en="CIEP online platform",
                    name_zh="大会线上平台",
                    order=200,
                )
            )
        for item in online:
            # Online theme activities run in the weeks before the edition and during it.
            item["venue"] = before
            item["start"] = self.at(-rng.randrange(0, 21), time(rng.randrange(9, 21)))
            item["minutes"] = rng.choice((60, 90, 120))
            item["capacity"] = None
        return venues

    def create_sessions(
        self, plan: list[dict], sections: dict[str, Section], venues: list[Venue]
    ) -> list[Session]:
        seen_titles: dict[str, int] = {}
        rows = []
        for index, item in enumerate(plan):
            key = item["section"]
            field_en, field_zh = self.session_fields(item)
            title_en, title_zh = self.session_title(key, item, field_en, field_zh, seen_titles)
            rows.append(
                self.session_row(
                    index, item, sections[key], venues[item["venue"]], title_en, title_zh
                )
            )
            rows[-1].abstract_en = ABSTRACT_EN.format(
                field=field_en if field_en[0].isdigit() else field_en.lower()
            )
            rows[-1].abstract_zh = ABSTRACT_ZH.format(field_zh=field_zh)
        sessions = bulk(Session, rows, self.ctx.progress, "forum sessions")
        through = Session.fields.through
        bulk(
            through,
            [
                through(session_id=session.pk, field_id=field_id)
                for session, item in zip(sessions, plan, strict=True)
                for field_id in item["field_ids"]
            ],
            self.ctx.progress,
            "forum session fields",
        )
        return sessions

    def session_fields(self, item: dict) -> tuple[str, str]:
        """Draw a session's field (and sometimes a second); return the first's names."""
        rng = self.rng
        field_id, (_slug, field_en, field_zh) = self.fields[rng.randrange(len(self.fields))]
        item["field_ids"] = [field_id]
        if rng.random() < 0.3:
            other = self.fields[rng.randrange(len(self.fields))][0]
            if other != field_id:
                item["field_ids"].append(other)
        return field_en, field_zh

    def session_title(self, key, item, field_en, field_zh, seen_titles) -> tuple[str, str]:
        """A session's title, numbered when another session already has it."""
        if key == "opening":
            title_en = (
                f"Opening Ceremony of the {self.number}th Conference on International "
                "Exchange of Professionals"
            )
            title_zh = f"第{self.number}届中国国际人才交流大会开幕式"
        else:
            city = item.get("city") or ("", "", "", "")
            template_en, template_zh = self.rng.choice(TITLES[key])
            title_en = template_en.format(field=field_en, city=city[2])
            title_zh = template_zh.format(field_zh=field_zh, city_zh=city[3])
        repeat = seen_titles.get(title_en, 0) + 1
        seen_titles[title_en] = repeat
        if repeat > 1:
            title_en, title_zh = f"{title_en} ({repeat})", f"{title_zh}（{repeat}）"
        return title_en, title_zh

    def session_row(self, index, item, section, venue, title_en, title_zh) -> Session:
        rng, key = self.rng, item["section"]
        organisation_ids = self.ctx.organisation_ids
        delegation_ids = self.ctx.delegation_ids
        if key == "online":
            session_format = Format.ONLINE
        elif key == "opening" or rng.random() < 0.4:
            session_format = Format.HYBRID
        else:
            session_format = Format.OFFLINE
        streamed = session_format != Format.OFFLINE
        stream_base = f"https://live.ciep.example/{self.number}/{index + 1}"
        status = Session.Status.CANCELLED if item["cancelled"] else Session.Status.SCHEDULED
        held = streamed and status == Session.Status.SCHEDULED
        return Session(
            edition=self.edition,
            section=section,
            kind=SECTION_KINDS[key],
            title_en=title_en,
            title_zh=title_zh,
            start=item["start"],
            end=item["start"] + timedelta(minutes=item["minutes"]),
            venue=venue,
            format=session_format,
            language=rng.choices(
                [Session.BOTH_LANGUAGES, Language.CHINESE, Language.ENGLISH],
                weights=[6, 3, 1],
            )[0],
            capacity=item["capacity"],
            # The guest of honour's events belong to its country's page.
            guest_country=self.edition.guest_of_honour.code if key == "guest" else "",
            organising_organisation_id=(
                rng.choice(organisation_ids)
                if organisation_ids and key not in ("opening", "subvenues")
                else None
            ),
            organising_delegation_id=(
                rng.choice(delegation_ids)
                if delegation_ids and key == "subvenues" and venue.kind == Venue.Kind.DOMESTIC
                else None
            ),
            stream_url=f"{stream_base}/live" if streamed else "",
            replay_url=f"{stream_base}/replay" if held else "",
            live_views=(
                (687_000 if key == "opening" else rng.randrange(200, 20_000)) if held else 0
            ),
            replay_views=rng.randrange(50, 5_000) if held else 0,
            status=status,
        )

    # --- Speakers --------------------------------------------------------------------------

    def create_speakers(self, sessions: int) -> list[Speaker]:
        rng = self.rng
        count = max(4, round(sessions * 2.2))
        sample = rng.sample(self.ctx.organisation_ids, min(300, len(self.ctx.organisation_ids)))
        # The organisations' names without the edition the generator marks them with.
        suffix_en, suffix_zh = f" ({self.number})", f"（第{self.number}届）"
        affiliations = [
            (name_en.removesuffix(suffix_en), name_zh.removesuffix(suffix_zh))
            for name_en, name_zh in Organisation.objects.filter(pk__in=sample)
            .order_by("pk")
            .values_list("name_en", "name_zh")
        ] or [("Shenzhen University", "深圳大学")]
        people = []
        for _index in range(count):
            if rng.random() < 0.55:
                surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
                name_en, name_zh = f"{surname[0]} {given[0]}", f"{surname[1]}{given[1]}"
                country = "CN"
            else:
                first, last = rng.choice(FOREIGN_FIRST), rng.choice(FOREIGN_LAST)
                name_en, name_zh = f"{first[0]} {last[0]}", f"{first[1]}·{last[1]}"
                country = last[2]
            people.append((name_en, name_zh, country))
        accounts = bulk(
            User,
            [
                User(
                    email=_person_email("speaker", self.number, index),
                    name=name_en,
                    password="!",
                    came_as=User.CameAs.TALENT,
                    preferred_language=Language.CHINESE if country == "CN" else Language.ENGLISH,
                )
                for index, (name_en, _name_zh, country) in enumerate(people)
            ],
            self.ctx.progress,
            "speaker accounts",
        )
        rows = []
        for account, (name_en, name_zh, country) in zip(accounts, people, strict=True):
            title_en, title_zh = rng.choice(SPEAKER_TITLES)
            affiliation_en, affiliation_zh = rng.choice(affiliations)
            rows.append(
                Speaker(
                    name_en=name_en,
                    name_zh=name_zh,
                    title_en=title_en,
                    title_zh=title_zh,
                    affiliation_en=affiliation_en,
                    affiliation_zh=affiliation_zh,
                    country=country,
                    biography_en=f"{title_en} at {affiliation_en}.",
                    biography_zh=f"{affiliation_zh}{title_zh}。",
                    user=account,
                )
            )
            if self.ctx.options.get("images"):
                attach(rows[-1], "photo", portrait(name_en))
        return bulk(Speaker, rows, self.ctx.progress, "speakers")

    def create_speaker_roles(self, sessions: list[Session], speakers: list[Speaker]) -> None:
        rng = self.rng
        # A few prominent speakers appear at many sessions, most at one or two.
        prominent = speakers[: max(1, len(speakers) // 10)]
        # Everyone speaks at least once: take the speakers in turn from a shuffled list.
        queue = rng.sample(speakers, len(speakers))
        turn = 0
        rows = []
        for session in sessions:
            size = rng.randint(2, 5) if session.kind != Session.Kind.CEREMONY else 4
            size = min(size, len(queue))
            chosen = [queue[(turn + offset) % len(queue)] for offset in range(size)]
            turn += size
            if rng.random() < 0.3:
                star = rng.choice(prominent)
                if star not in chosen:
                    chosen.append(star)
            for order, speaker in enumerate(chosen, start=1):
                if session.kind == Session.Kind.CEREMONY:
                    role = SessionSpeaker.Role.KEYNOTE
                elif order == 1 and session.kind in (Session.Kind.FORUM, Session.Kind.CONFERENCE):
                    role = SessionSpeaker.Role.MODERATOR
                elif session.kind == Session.Kind.FORUM:
                    role = SessionSpeaker.Role.PANELLIST
                else:
                    role = SessionSpeaker.Role.SPEAKER
                rows.append(
                    SessionSpeaker(session=session, speaker=speaker, role=role, order=order)
                )
        bulk(SessionSpeaker, rows, self.ctx.progress, "session speakers")

    # --- Registrations ---------------------------------------------------------------------

    def create_registrations(self, sessions: list[Session]) -> None:
        rng = self.rng
        scheduled = [s for s in sessions if s.status == Session.Status.SCHEDULED]
        cancelled = [s for s in sessions if s.status == Session.Status.CANCELLED]
        weights = [
            40 if s.kind == Session.Kind.CEREMONY else rng.uniform(0.3, 2.0) for s in scheduled
        ]
        confirmed = _distribute(self.registrations, weights)
        plans = self.plan_registrations(scheduled, confirmed)
        for session in cancelled:
            plans.append((session, 0, 0, 0, rng.randint(0, 20)))
        needs = [count + waiting + dropped for _s, count, _o, waiting, dropped in plans]
        pool = max(max(needs, default=0), math.ceil(sum(needs) / 2.5))
        users = self.create_registrants(pool)
        rows, quotas = [], []
        for plan in plans:
            self.registration_rows(plan, users, rows, quotas)
        bulk(DelegationQuota, quotas, self.ctx.progress, "delegation quotas")
        bulk(Registration, rows, self.ctx.progress, "session registrations")
        self.create_feedback(rows)

    def plan_registrations(self, scheduled: list[Session], confirmed: list[int]) -> list[tuple]:
        """Per session: how many confirmed (on site / online), waiting and cancelled. Sessions
        whose capacity the plan outgrows get a larger one."""
        rng = self.rng
        plans, changed = [], []
        for session, count in zip(scheduled, confirmed, strict=True):
            on_site = count
            if session.format == Format.ONLINE:
                on_site = 0
            elif session.format == Format.HYBRID:
                on_site = round(count * rng.uniform(0.5, 0.8))
            waiting = 0
            if session.capacity is not None:
                if session.format == Format.HYBRID:
                    # Online attendance of a hybrid session is unlimited.
                    on_site = min(on_site, session.capacity)
                capacity = session.capacity
                if on_site > capacity:
                    capacity = math.ceil(on_site / 50) * 50
                if on_site and rng.random() < 0.2:
                    # Full: the seats are taken exactly and people wait for one.
                    capacity = on_site
                    waiting = rng.randint(1, max(1, count // 10))
                if capacity != session.capacity:
                    session.capacity = capacity
                    changed.append(session)
            dropped = round(count * rng.uniform(0, 0.06))
            plans.append((session, count, on_site, waiting, dropped))
        if changed:
            Session.objects.bulk_update(changed, ["capacity"], batch_size=500)
        return plans

    def delegation_group(self, session: Session, on_site: int, quotas: list) -> list[int]:
        """Delegations with a quota register some of their members as a group: the
        delegation of each of the first places, as many as there are."""
        rng, delegation_ids = self.rng, self.ctx.delegation_ids
        group = []
        if on_site and delegation_ids and rng.random() < 0.25:
            for delegation_id in rng.sample(delegation_ids, min(len(delegation_ids), 3)):
                places = rng.randint(5, 30)
                quotas.append(
                    DelegationQuota(session=session, delegation_id=delegation_id, places=places)
                )
                group += [delegation_id] * rng.randint(0, places)
        return group[:on_site]

    def registration_rows(self, plan: tuple, users: list[User], rows: list, quotas: list) -> None:
        """Add one session's registrations (and delegation quotas) to ``rows`` (``quotas``)."""
        rng = self.rng
        session, count, on_site, waiting, dropped = plan
        people = rng.sample(users, count + waiting + dropped)
        start = session.start
        group = self.delegation_group(session, on_site, quotas)
        for position, user in enumerate(people):
            code = f"S{self.number:03d}{len(rows):08d}"
            if position < count:
                attendance = Attendance.ON_SITE if position < on_site else Attendance.ONLINE
                checked_in = attendance == Attendance.ON_SITE and rng.random() < 0.75
                rows.append(
                    Registration(
                        session=session,
                        user=user,
                        attendance=attendance,
                        status=Registration.Status.CONFIRMED,
                        code=code,
                        delegation_id=group[position] if position < len(group) else None,
                        checked_in_at=(
                            start - timedelta(minutes=rng.randrange(0, 40)) if checked_in else None
                        ),
                    )
                )
            elif position < count + waiting:
                rows.append(
                    Registration(
                        session=session,
                        user=user,
                        attendance=Attendance.ON_SITE,
                        status=Registration.Status.WAITING,
                        code=code,
                    )
                )
            else:
                rows.append(
                    Registration(
                        session=session,
                        user=user,
                        attendance=session.default_attendance(),
                        status=Registration.Status.CANCELLED,
                        code=code,
                        cancelled_at=start - timedelta(hours=rng.randrange(1, 24 * 14)),
                    )
                )

    def create_feedback(self, rows: list[Registration]) -> None:
        """Some of those who came rate the session; some had bookmarked it first."""
        rng = self.rng
        attended = [row for row in rows if row.status == Registration.Status.CONFIRMED]
        feedback = [
            Feedback(
                session=row.session,
                user=row.user,
                rating=rng.choices((5, 4, 3, 2, 1), weights=(40, 35, 15, 6, 4))[0],
                comment=rng.choice(("", "", "Very informative.", "内容丰富，收获很大。")),
            )
            for row in attended
            if rng.random() < 0.06
        ]
        bulk(Feedback, feedback, self.ctx.progress, "session feedback")
        bookmarks = [
            Bookmark(session=row.session, user=row.user) for row in attended if rng.random() < 0.05
        ]
        bulk(Bookmark, bookmarks, self.ctx.progress, "session bookmarks")

    def create_registrants(self, count: int) -> list[User]:
        rng = self.rng
        rows = []
        for index in range(count):
            if rng.random() < 0.8:
                surname, given = rng.choice(SURNAMES), rng.choice(GIVEN_NAMES)
                name, language = f"{surname[1]}{given[1]}", Language.CHINESE
            else:
                first, last = rng.choice(FOREIGN_FIRST), rng.choice(FOREIGN_LAST)
                name, language = f"{first[0]} {last[0]}", Language.ENGLISH
            rows.append(
                User(
                    email=_person_email("registrant", self.number, index),
                    name=name,
                    password="!",
                    preferred_language=language,
                    came_as=rng.choice(
                        (User.CameAs.VISITOR, User.CameAs.TALENT, User.CameAs.DELEGATION)
                    ),
                )
            )
        return bulk(User, rows, self.ctx.progress, "forum registrants")
