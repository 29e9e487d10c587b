"""A synthetic edition of any size, built through the real models with bulk inserts.

The core generates the edition, its organisations, delegations and attendees; each area adds
its part through its ``Area.generate`` hook, drawing on the same organisations so that the
report counts each of them once. Everything is derived from one seeded ``random.Random``, so a
seed gives the same edition every time.
"""

import random
import re
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from ..models import Attendance, Delegation, Edition, EditionGuest, Field, Organisation
from .images import attach, logo

BATCH = 2000

# Provincial-level divisions of China, then cities, for delegations.
PROVINCES = [
    ("Beijing", "北京市", "municipality"),
    ("Tianjin", "天津市", "municipality"),
    ("Hebei", "河北省", "province"),
    ("Shanxi", "山西省", "province"),
    ("Inner Mongolia", "内蒙古自治区", "autonomous_region"),
    ("Liaoning", "辽宁省", "province"),
    ("Jilin", "吉林省", "province"),
    ("Heilongjiang", "黑龙江省", "province"),
    ("Shanghai", "上海市", "municipality"),
    ("Jiangsu", "江苏省", "province"),
    ("Zhejiang", "浙江省", "province"),
    ("Anhui", "安徽省", "province"),
    ("Fujian", "福建省", "province"),
    ("Jiangxi", "江西省", "province"),
    ("Shandong", "山东省", "province"),
    ("Henan", "河南省", "province"),
    ("Hubei", "湖北省", "province"),
    ("Hunan", "湖南省", "province"),
    ("Guangdong", "广东省", "province"),
    ("Guangxi", "广西壮族自治区", "autonomous_region"),
    ("Hainan", "海南省", "province"),
    ("Chongqing", "重庆市", "municipality"),
    ("Sichuan", "四川省", "province"),
    ("Guizhou", "贵州省", "province"),
    ("Yunnan", "云南省", "province"),
    ("Tibet", "西藏自治区", "autonomous_region"),
    ("Shaanxi", "陕西省", "province"),
    ("Gansu", "甘肃省", "province"),
    ("Qinghai", "青海省", "province"),
    ("Ningxia", "宁夏回族自治区", "autonomous_region"),
    ("Xinjiang", "新疆维吾尔自治区", "autonomous_region"),
]
CITIES = [
    ("Yancheng", "盐城"),
    ("Zhuhai", "珠海"),
    ("Zhongshan", "中山"),
    ("Zhaoqing", "肇庆"),
    ("Suzhou", "苏州"),
    ("Qingdao", "青岛"),
    ("Xiamen", "厦门"),
    ("Ningbo", "宁波"),
    ("Dongguan", "东莞"),
    ("Foshan", "佛山"),
    ("Wuxi", "无锡"),
    ("Dalian", "大连"),
]
# Countries and regions, mainland China first; the 17th edition's were 52.
COUNTRIES = [
    "CN",
    "US",
    "GB",
    "RU",
    "IL",
    "DE",
    "JP",
    "UA",
    "FI",
    "IT",
    "KR",
    "FR",
    "AU",
    "CA",
    "NL",
    "SE",
    "CH",
    "SG",
    "HK",
    "MO",
    "TW",
    "ES",
    "BE",
    "AT",
    "DK",
    "NO",
    "PL",
    "CZ",
    "HU",
    "PT",
    "IE",
    "NZ",
    "IN",
    "MY",
    "TH",
    "VN",
    "ID",
    "PH",
    "PK",
    "KZ",
    "BY",
    "BR",
    "AR",
    "MX",
    "CL",
    "ZA",
    "EG",
    "NG",
    "KE",
    "TR",
    "AE",
    "SA",
    "IR",
    "GR",
    "RO",
    "BG",
    "RS",
    "HR",
    "SK",
    "SI",
    "LT",
    "LV",
    "EE",
    "IS",
    "LU",
    "MT",
    "CY",
    "MN",
    "LK",
    "BD",
    "NP",
    "KH",
    "LA",
    "MM",
    "UZ",
]
NAME_PARTS_EN = [
    "Advanced",
    "Applied",
    "Global",
    "Pacific",
    "Northern",
    "United",
    "Bright",
    "Pioneer",
    "Harmony",
    "Summit",
    "Delta",
    "Horizon",
    "Quantum",
    "Green",
    "Silk Road",
    "Greater Bay",
]
NAME_PARTS_ZH = [
    "先进",
    "应用",
    "环球",
    "太平洋",
    "北方",
    "联合",
    "光明",
    "先锋",
    "和谐",
    "峰会",
    "三角洲",
    "地平线",
    "量子",
    "绿色",
    "丝路",
    "大湾区",
]
KINDS_EN = [
    ("Technologies", "科技", "high_tech"),
    ("Institute", "研究院", "research"),
    ("University", "大学", "university"),
    ("Training Academy", "培训学院", "training"),
    ("Talent Services", "人才服务", "hr_service"),
    ("Association", "协会", "professional"),
    ("Industries", "实业", "enterprise"),
]
FIELD_NAMES = [
    ("5g", "5G", "5G"),
    ("biomedicine", "Biomedicine", "生物医药"),
    ("fintech", "Fintech", "金融科技"),
    ("artificial-intelligence", "Artificial intelligence", "人工智能"),
    ("information-technology", "Information technology", "信息技术"),
    ("intelligent-manufacturing", "Intelligent manufacturing", "智能制造"),
    ("new-materials", "New materials", "新材料"),
    ("new-energy", "New energy", "新能源"),
    ("environmental-protection", "Environmental protection", "环境保护"),
]


@dataclass
class GenerationContext:
    """What the core has generated, handed to each area's generator."""

    edition: Edition
    options: dict
    rng: random.Random
    organisation_ids: list[int]
    delegation_ids: list[int]
    field_ids: list[int]
    progress: "Progress"
    extra: dict = field(default_factory=dict)


class Progress:
    """A progress bar on a terminal, one line per step elsewhere."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stdout
        self.width = width

    def step(self, label: str, done: int, total: int) -> None:
        total = max(total, 1)
        filled = round(self.width * done / total)
        bar = "#" * filled + "-" * (self.width - filled)
        end = "\n" if done >= total else "\r"
        self.stream.write(f"  [{bar}] {100 * done // total:3d}% {label} ({done}/{total}){end}")
        self.stream.flush()


def bulk(model, rows, progress: Progress, label: str) -> list:
    """Insert ``rows`` (model instances) in batches, returning them with their ids."""
    created = []
    total = len(rows)
    for start in range(0, total, BATCH):
        created += model.objects.bulk_create(rows[start : start + BATCH])
        progress.step(label, min(start + BATCH, total), total)
    if not total:
        progress.step(label, 0, 0)
    return created


def name_stem(organisation) -> tuple[str, str]:
    """A generated organisation's name without its number and edition ("Global Institute"):
    organisations of one stem share a logo's look."""
    name_en = re.sub(r"\s+\d+\s+\(\d+\)$", "", organisation.name_en)
    name_zh = re.sub(r"\d+号（第\d+届）$", "", organisation.name_zh)
    return name_en, name_zh


def organisation_name(rng: random.Random, index: int) -> tuple[str, str, str]:
    part = rng.randrange(len(NAME_PARTS_EN))
    kind_en, kind_zh, kind = KINDS_EN[rng.randrange(len(KINDS_EN))]
    return (
        f"{NAME_PARTS_EN[part]} {kind_en} {index + 1}",
        f"{NAME_PARTS_ZH[part]}{kind_zh}{index + 1}号",
        kind,
    )


def edition_year(number: int) -> int:
    """The year of the ``number``th conference: the 1st in 2001, the 17th in 2019 (the early
    ones were not all a year apart), yearly since (the 20th in 2022)."""
    if number >= 17:
        return 2002 + number
    return 2001 + round((max(number, 1) - 1) * 18 / 16)


def generate_core(number: int, options: dict, progress: Progress) -> GenerationContext:
    rng = random.Random(options["seed"])
    countries = options["countries"]
    if countries > len(COUNTRIES):
        raise ValueError(f"At most {len(COUNTRIES)} countries and regions can be generated.")
    if options["organisations"] < countries:
        raise ValueError("There must be at least as many organisations as countries.")
    if (
        options["visitors"]
        < options["organisations"] + options["experts"] + options["representatives"]
    ):
        raise ValueError(
            "Visitors count every attendee: give at least organisations + experts + "
            "representatives."
        )
    start = options.get("start") or date(edition_year(number), 4, 14)
    with transaction.atomic():
        edition = _replace_edition(number, start)
        field_ids = _fields()
        organisation_ids = _organisations(rng, number, options, field_ids, progress)
        delegation_ids = _delegations(edition, options["delegations"], progress)
        _attendances(edition, options, organisation_ids, delegation_ids, progress)
    return GenerationContext(
        edition=edition,
        options=options,
        rng=rng,
        organisation_ids=organisation_ids,
        delegation_ids=delegation_ids,
        field_ids=field_ids,
        progress=progress,
    )


def _replace_edition(number: int, start: date) -> Edition:
    """A new edition ``number``, in place of one generated before."""
    # Replace an edition generated before, with the organisations made for it.
    Organisation.objects.filter(
        attendances__edition__number=number, name_en__endswith=f"({number})"
    ).delete()
    # Then its delegations, with what they own (areas protect the edition itself from
    # deletion while it holds their rows, so those rows must go through their owners).
    Delegation.objects.filter(edition__number=number).delete()
    Edition.objects.filter(number=number).delete()
    edition = Edition.objects.create(
        number=number,
        year=start.year,
        title_en=f"The {number}th Conference on International Exchange of Professionals",
        title_zh=f"第{number}届中国国际人才交流大会",
        theme_en="Innovation, Development, Cooperation and Win-win",
        theme_zh="创新、发展、合作、共赢",
        start_date=start,
        end_date=start + timedelta(days=1),
        venue_en="Shenzhen Convention and Exhibition Center",
        venue_zh="深圳会展中心",
        status=Edition.Status.CONCLUDED,
    )
    EditionGuest.objects.bulk_create(
        [
            EditionGuest(edition=edition, country="GB", role=EditionGuest.Role.GUEST_OF_HONOUR),
            EditionGuest(edition=edition, country="RU", role=EditionGuest.Role.OBSERVER),
        ]
    )
    return edition


def _fields() -> list[int]:
    field_ids = []
    for slug, name_en, name_zh in FIELD_NAMES:
        field_object, _created = Field.objects.get_or_create(
            slug=slug, defaults={"name_en": name_en, "name_zh": name_zh}
        )
        field_ids.append(field_object.pk)
    return field_ids


def _organisations(rng, number: int, options: dict, field_ids, progress) -> list[int]:
    """The organisations, from ``countries`` countries and regions, each in one field."""
    countries = options["countries"]
    now = timezone.now()
    organisations = []
    for index in range(options["organisations"]):
        name_en, name_zh, kind = organisation_name(rng, index)
        organisations.append(
            Organisation(
                name_en=f"{name_en} ({number})",
                name_zh=f"{name_zh}（第{number}届）",
                type=kind,
                # Round-robin first, so exactly ``countries`` distinct ones appear.
                country=COUNTRIES[index % countries],
                city="",
                verified_at=now,
            )
        )
    if options.get("images"):
        for organisation in organisations:
            attach(organisation, "logo", logo(*name_stem(organisation)))
        progress.step("organisation logos", len(organisations), len(organisations))
    organisations = bulk(Organisation, organisations, progress, "organisations")
    organisation_ids = [organisation.pk for organisation in organisations]
    through = Organisation.fields.through
    bulk(
        through,
        [
            through(organisation_id=pk, field_id=field_ids[i % len(field_ids)])
            for i, pk in enumerate(organisation_ids)
        ],
        progress,
        "organisation fields",
    )
    return organisation_ids


def _delegations(edition: Edition, count: int, progress) -> list[int]:
    """Delegations of the provinces, then of cities."""
    delegations = []
    for index in range(count):
        if index < len(PROVINCES):
            name_en, name_zh, kind = PROVINCES[index]
            name_en = name_en if kind != "province" else f"{name_en} Province"
        else:
            city_en, city_zh = CITIES[(index - len(PROVINCES)) % len(CITIES)]
            suffix = (index - len(PROVINCES)) // len(CITIES)
            name_en = f"{city_en} City" + (f" {suffix + 1}" if suffix else "")
            name_zh = f"{city_zh}市" + (f"{suffix + 1}" if suffix else "")
            kind = "city"
        delegations.append(Delegation(edition=edition, kind=kind, name_en=name_en, name_zh=name_zh))
    delegations = bulk(Delegation, delegations, progress, "delegations")
    return [delegation.pk for delegation in delegations]


def _attendances(edition, options, organisation_ids, delegation_ids, progress) -> None:
    """Every attendee: experts, representatives, one from each organisation, visitors."""
    countries, number, start = options["countries"], edition.number, edition.start_date
    attendances = []
    experts, representatives = options["experts"], options["representatives"]
    foreign = [code for code in COUNTRIES[:countries] if code != "CN"] or ["GB"]
    for index in range(options["visitors"]):
        organisation_id = None
        delegation_id = None
        if index < experts:
            role, country = Attendance.Role.EXPERT, foreign[index % len(foreign)]
        elif index < experts + representatives:
            role, country = Attendance.Role.REPRESENTATIVE, "CN"
            delegation_id = delegation_ids[index % len(delegation_ids)] if delegation_ids else None
        else:
            role, country = Attendance.Role.VISITOR, "CN"
        position = index - experts - representatives
        if 0 <= position < len(organisation_ids):
            # One attendee from each organisation: every organisation takes part.
            organisation_id = organisation_ids[position]
            role = Attendance.Role.EXHIBITOR_STAFF
            country = COUNTRIES[position % countries]
        attendances.append(
            Attendance(
                edition=edition,
                name=f"Attendee {index + 1}",
                role=role,
                country=country,
                organisation_id=organisation_id,
                delegation_id=delegation_id,
                code=f"G{number:03d}{index:09d}",
                checked_in_at=(
                    timezone.make_aware(
                        timezone.datetime.combine(
                            start + timedelta(days=index % 2),
                            timezone.datetime.min.time(),
                        )
                    )
                    + timedelta(hours=9, minutes=index % 480)
                    if index % 5
                    else None
                ),
            )
        )
    bulk(Attendance, attendances, progress, "attendees")
