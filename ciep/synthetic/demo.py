"""Demo data of the conference core, built from the articles on the 17th and 20th editions.

Every write is keyed on a natural key, so loading the demo twice changes nothing. Area apps add
their own demo data through the area registry (``Area.seed_demo``), receiving the context below.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone

from ..groups import ORGANISERS
from ..models import (
    Attendance,
    Delegation,
    DelegationMember,
    Edition,
    EditionGuest,
    Field,
    Format,
    Language,
    Membership,
    Organisation,
    User,
)
from ..services import edition_make_current, edition_reschedule
from .images import as_file, logo

DEMO_PASSWORD = "ciep-demo-2022"
# The demo organiser's authenticator (TOTP, base32): the back office asks staff for a second
# factor, so `seed_demo` prints this secret for an authenticator app. Public, demo only.
DEMO_TOTP_SECRET = "CIEPDEMOORGANISERSECONDFACTORXYZ"


@dataclass
class DemoContext:
    editions: dict[int, Edition] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    fields: dict[str, Field] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    delegations: dict[tuple[int, str], Delegation] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)
    # (user, TOTP secret) of the demo accounts that sign in with a second factor.
    authenticators: list[tuple[User, str]] = field(default_factory=list)

    def account(self, key: str, email: str, name: str, role: str, **extra) -> User:
        """Create (once) a demo user with a verified email and the demo password."""
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=DEMO_PASSWORD, name=name, **extra)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        self.users[key] = user
        self.accounts.append((role, email, DEMO_PASSWORD))
        return user

    def authenticator(self, user: User, secret: str) -> None:
        """Give (once) ``user`` a TOTP authenticator with a known secret."""
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
        self.authenticators.append((user, secret))


FIELDS = [
    ("5g", "5G", "5G", 10),
    ("biomedicine", "Biomedicine", "生物医药", 20),
    ("fintech", "Fintech", "金融科技", 30),
    ("artificial-intelligence", "Artificial intelligence", "人工智能", 40),
    ("information-technology", "Information technology", "信息技术", 50),
    ("intelligent-manufacturing", "Intelligent manufacturing", "智能制造", 60),
    ("new-materials", "New materials", "新材料", 70),
    ("new-energy", "New energy", "新能源", 80),
    ("environmental-protection", "Environmental protection", "环境保护", 90),
    ("education-and-training", "Education and training", "教育培训", 100),
    ("biomedical-photonics", "Biomedical photonics", "生物医学光子学", 110),
]

HOSTS_EN = (
    "Ministry of Science and Technology of the People's Republic of China "
    "(State Administration of Foreign Experts Affairs)\nShenzhen Municipal People's Government"
)
HOSTS_ZH = "中华人民共和国科学技术部（国家外国专家局）\n深圳市人民政府"

ORGANISATIONS = [
    # key, name_en, name_zh, type, country, city, fields, description_en, description_zh
    (
        "szu",
        "Shenzhen University",
        "深圳大学",
        "university",
        "CN",
        "Shenzhen",
        ["biomedical-photonics", "artificial-intelligence"],
        "A comprehensive university in Shenzhen; Professor Zhang Han's team works on "
        "biomedical photonics.",
        "位于深圳的综合性大学；张晗教授团队从事生物医学光子学研究。",
    ),
    (
        "vtc",
        "Hong Kong Vocational Training Council",
        "香港职业训练局",
        "training",
        "HK",
        "Hong Kong",
        ["education-and-training"],
        "The largest provider of vocational and professional education and training in Hong Kong.",
        "香港最具规模的职业专才教育机构。",
    ),
    (
        "pitch",
        "Pitch@Palace",
        "Pitch@Palace 创业平台",
        "professional",
        "GB",
        "London",
        ["information-technology", "fintech"],
        "A world-renowned international platform for entrepreneurship and innovation incubation.",
        "享誉世界的国际创新创业孵化平台。",
    ),
    (
        "hebei-most",
        "Hebei Provincial Department of Science and Technology",
        "河北省科学技术厅",
        "government",
        "CN",
        "Shijiazhuang",
        ["new-materials", "new-energy"],
        "Runs the 'Talent SHOW' platform for Hebei's requests for talents and projects.",
        "运营“人才秀”平台，发布河北省的人才与项目需求。",
    ),
    (
        "jiangsu-talent",
        "Jiangsu Talent Service Centre",
        "江苏省人才服务中心",
        "hr_service",
        "CN",
        "Nanjing",
        ["intelligent-manufacturing"],
        "Introduces foreign experts to Jiangsu's enterprises.",
        "为江苏企业引进外国专家。",
    ),
    (
        "skolkovo",
        "Moscow Institute of Applied Optics",
        "莫斯科应用光学研究所",
        "research",
        "RU",
        "Moscow",
        ["new-materials", "biomedical-photonics"],
        "A research institute in optics and photonic materials.",
        "从事光学与光子材料研究的科研机构。",
    ),
    (
        "helsinki-5g",
        "Nordic 5G Labs Oy",
        "北欧5G实验室",
        "high_tech",
        "FI",
        "Espoo",
        ["5g", "information-technology"],
        "Builds private 5G networks for factories and ports.",
        "为工厂和港口建设5G专网。",
    ),
    (
        "tel-aviv-bio",
        "Galilee Biomed Ltd",
        "加利利生物医药公司",
        "enterprise",
        "IL",
        "Haifa",
        ["biomedicine"],
        "Develops diagnostics for chronic diseases.",
        "研发慢性病诊断产品。",
    ),
]

DELEGATIONS = [
    # key, kind, name_en, name_zh, country, parent key
    ("hebei", "province", "Hebei Province", "河北省", "CN", None),
    ("jiangsu", "province", "Jiangsu Province", "江苏省", "CN", None),
    ("guangdong", "province", "Guangdong Province", "广东省", "CN", None),
    ("shandong", "province", "Shandong Province", "山东省", "CN", None),
    ("yancheng", "city", "Yancheng City", "盐城市", "CN", "jiangsu"),
    ("zhuhai", "city", "Zhuhai City", "珠海市", "CN", "guangdong"),
    ("zhongshan", "city", "Zhongshan City", "中山市", "CN", "guangdong"),
    ("zhaoqing", "city", "Zhaoqing City", "肇庆市", "CN", "guangdong"),
    ("uk", "country", "United Kingdom", "英国", "GB", None),
    ("russia", "country", "Russia", "俄罗斯", "RU", None),
]
DELEGATIONS_20TH = [
    "hebei",
    "jiangsu",
    "guangdong",
    "shandong",
    "yancheng",
    "zhuhai",
    "uk",
    "russia",
]

# The guest of honour and the observer of both editions, with their introductions.
GUESTS = [
    # country, role, intro_en, intro_zh
    (
        "GB",
        EditionGuest.Role.GUEST_OF_HONOUR,
        "The United Kingdom is the conference's guest of honour: its universities, research "
        "institutes and innovation platforms such as Pitch@Palace bring their talent and "
        "projects to Shenzhen.",
        "英国为大会主宾国：英国的高校、科研院所和Pitch@Palace等创新平台携人才与项目来到深圳。",
    ),
    (
        "RU",
        EditionGuest.Role.OBSERVER,
        "Russia takes part as the conference's observer, with its experts in new materials and "
        "photonics meeting the delegations of China's provinces.",
        "俄罗斯作为观察员国参会，其新材料和光子学专家与各省代表团对接交流。",
    ),
]

POLICIES = {
    "hebei": (
        "Hebei released more than 150 requests for talents and projects through its "
        "'Talent SHOW' platform and invites high-end experts for project matchmaking.",
        "河北省通过“人才秀”平台发布150余项人才和项目需求，邀请高端专家开展项目对接。",
    ),
    "jiangsu": (
        "Jiangsu introduces foreign experts for its enterprises, with funding for "
        "cooperation agreements signed at the conference.",
        "江苏省为企业引进外国专家，对在大会上签署的合作协议给予资助。",
    ),
    "guangdong": (
        "Guangdong showcases the sci-tech innovation of the Guangdong-Hong Kong-Macao Greater "
        "Bay Area and supports its cities' sub-venue events.",
        "广东省展示粤港澳大湾区科技创新成果，支持各市举办分会场活动。",
    ),
}


def seed_core() -> DemoContext:
    demo = DemoContext()
    for slug, name_en, name_zh, order in FIELDS:
        demo.fields[slug], _ = Field.objects.update_or_create(
            slug=slug, defaults={"name_en": name_en, "name_zh": name_zh, "order": order}
        )
    organiser = seed_accounts(demo)
    demo.editions[17] = seed_17th()
    demo.editions[20] = seed_20th(organiser)
    for edition in demo.editions.values():
        seed_guests(edition)
    seed_organisations(demo, organiser)
    for number in (17, 20):
        seed_delegations(demo, number)
    seed_attendance(demo)
    return demo


def seed_17th() -> Edition:
    """The 17th edition, concluded, as the articles describe it."""
    seventeenth, _ = Edition.objects.update_or_create(
        number=17,
        defaults={
            "year": 2019,
            "title_en": "The 17th Conference on International Exchange of Professionals",
            "title_zh": "第十七届中国国际人才交流大会",
            "theme_en": "Integrating global intelligence, promoting innovation cooperation, "
            "and seeking common development",
            "theme_zh": "汇聚全球智慧，促进创新合作，谋求共同发展",
            "start_date": date(2019, 4, 14),
            "end_date": date(2019, 4, 15),
            "venue_en": "Shenzhen Convention and Exhibition Center",
            "venue_zh": "深圳会展中心",
            "format": Format.OFFLINE,
            "hosts_en": HOSTS_EN,
            "hosts_zh": HOSTS_ZH,
            "status": Edition.Status.CONCLUDED,
        },
    )
    return seventeenth


def seed_20th(organiser: User) -> Edition:
    """The 20th edition, current: announced offline for December 2021, moved online to May
    2022 (the change is recorded once, as the organisers made it)."""
    created_20th = not Edition.objects.filter(number=20).exists()
    twentieth, _ = Edition.objects.update_or_create(
        number=20,
        defaults={
            "year": 2022,
            "title_en": "The 20th Conference on International Exchange of Professionals",
            "title_zh": "第二十届中国国际人才交流大会",
            "theme_en": "Innovation, Development, Cooperation and Win-win",
            "theme_zh": "创新、发展、合作、共赢",
            "slogan_en": "Sharing China's opportunities for technological innovation",
            "slogan_zh": "共享中国科技创新机遇",
            "venue_en": "Online, with the organising committee in Shenzhen",
            "venue_zh": "线上举办，组委会设在深圳",
            "hosts_en": HOSTS_EN,
            "hosts_zh": HOSTS_ZH,
            "status": Edition.Status.OPEN,
            **(
                {
                    "start_date": date(2021, 12, 19),
                    "end_date": date(2021, 12, 20),
                    "format": Format.OFFLINE,
                }
                if created_20th
                else {}
            ),
        },
    )
    if not twentieth.changes.exists():
        edition_reschedule(
            edition=twentieth,
            start_date=date(2022, 5, 26),
            end_date=date(2022, 5, 26),
            format=Format.ONLINE,
            reason_en="Because of the COVID-19 epidemic at home and overseas, the conference is "
            "held online as its primary form, without offline physical exhibitions for the "
            "time being.",
            reason_zh="受国内外新冠肺炎疫情影响，大会以线上为主要形式举办，暂不举办线下实体展览。",
            by=organiser,
        )
        twentieth.refresh_from_db()
    if not twentieth.is_current:
        edition_make_current(edition=twentieth, by=organiser)
    return twentieth


def seed_guests(edition: Edition) -> None:
    """The edition's guest of honour and observer (``GUESTS``), keyed on their country."""
    for order, (country, role, intro_en, intro_zh) in enumerate(GUESTS, start=1):
        EditionGuest.objects.update_or_create(
            edition=edition,
            country=country,
            defaults={"role": role, "intro_en": intro_en, "intro_zh": intro_zh, "order": order},
        )


def seed_accounts(demo: DemoContext) -> User:
    """One demo account per kind of user; returns the organiser's."""
    organisers, _ = Group.objects.get_or_create(name=ORGANISERS)
    organiser = demo.account(
        "organiser", "organiser@ciep.example", "Li Wei", "organiser", is_staff=True
    )
    organiser.groups.add(organisers)
    demo.authenticator(organiser, DEMO_TOTP_SECRET)
    demo.account(
        "exhibitor",
        "exhibitor@ciep.example",
        "Chen Jing",
        "exhibitor",
        came_as=User.CameAs.EXHIBITOR,
        preferred_language=Language.CHINESE,
    )
    demo.account(
        "expert",
        "expert@ciep.example",
        "Dr Elena Sokolova",
        "talent or expert",
        came_as=User.CameAs.TALENT,
    )
    demo.account(
        "delegate",
        "delegate@ciep.example",
        "Wang Fang",
        "delegation head",
        came_as=User.CameAs.DELEGATION,
        preferred_language=Language.CHINESE,
    )
    demo.account(
        "representative",
        "representative@ciep.example",
        "Zhao Lei",
        "delegation representative",
        came_as=User.CameAs.DELEGATION,
    )
    demo.account("visitor", "visitor@ciep.example", "Sam Taylor", "visitor")
    return organiser


def seed_organisations(demo: DemoContext, organiser: User) -> None:
    """The organisations of the articles, verified; the exhibitor account runs one."""
    for key, name_en, name_zh, kind, country, city, fields, desc_en, desc_zh in ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name_en=name_en,
            defaults={
                "name_zh": name_zh,
                "type": kind,
                "country": country,
                "city": city,
                "description_en": desc_en,
                "description_zh": desc_zh,
            },
        )
        if not organisation.logo:
            organisation.logo.save("logo.png", as_file(logo(name_en, name_zh)), save=False)
            organisation.save(update_fields=["logo"])
        if organisation.verified_at is None:
            organisation.verified_at = timezone.now()
            organisation.verified_by = organiser
            organisation.save(update_fields=["verified_at", "verified_by"])
        organisation.fields.set([demo.fields[slug] for slug in fields])
        demo.organisations[key] = organisation
    Membership.objects.get_or_create(
        organisation=demo.organisations["szu"],
        user=demo.users["exhibitor"],
        defaults={"role": Membership.Role.ADMIN},
    )


def seed_delegations(demo: DemoContext, number: int) -> None:
    """The delegations of an edition; the delegate and representative accounts are Jiangsu's."""
    edition = demo.editions[number]
    keys = [row[0] for row in DELEGATIONS] if number == 17 else DELEGATIONS_20TH
    for key, kind, name_en, name_zh, country, parent in DELEGATIONS:
        if key not in keys:
            continue
        policies_en, policies_zh = POLICIES.get(key, ("", ""))
        delegation, _ = Delegation.objects.update_or_create(
            edition=edition,
            name_en=name_en,
            defaults={
                "kind": kind,
                "name_zh": name_zh,
                "country": country,
                "parent": demo.delegations.get((number, parent)) if parent else None,
                "policies_en": policies_en,
                "policies_zh": policies_zh,
            },
        )
        demo.delegations[(number, key)] = delegation
    for key in ("jiangsu",):
        delegation = demo.delegations[(number, key)]
        DelegationMember.objects.get_or_create(
            delegation=delegation,
            user=demo.users["delegate"],
            defaults={"role": DelegationMember.Role.HEAD},
        )
        DelegationMember.objects.get_or_create(
            delegation=delegation,
            user=demo.users["representative"],
            defaults={"role": DelegationMember.Role.REPRESENTATIVE},
        )
    if number == 20:
        # Jiangsu's head also heads its city of Yancheng, whose sub-venue fair she proposed.
        DelegationMember.objects.get_or_create(
            delegation=demo.delegations[(number, "yancheng")],
            user=demo.users["delegate"],
            defaults={"role": DelegationMember.Role.HEAD},
        )
    demo.delegations[(number, "jiangsu")].organisations.add(demo.organisations["jiangsu-talent"])
    demo.delegations[(number, "hebei")].organisations.add(demo.organisations["hebei-most"])


def seed_attendance(demo: DemoContext) -> None:
    """Attendees of both editions: the demo accounts at the 20th, a sample crowd at the 17th."""
    twentieth, seventeenth = demo.editions[20], demo.editions[17]
    for key, role, country in (
        ("visitor", Attendance.Role.VISITOR, "GB"),
        ("expert", Attendance.Role.EXPERT, "RU"),
    ):
        user = demo.users[key]
        Attendance.objects.get_or_create(
            edition=twentieth,
            user=user,
            defaults={"name": user.name, "role": role, "country": country},
        )
    delegate = demo.users["representative"]
    Attendance.objects.get_or_create(
        edition=twentieth,
        user=delegate,
        defaults={
            "name": delegate.name,
            "role": Attendance.Role.REPRESENTATIVE,
            "country": "CN",
            "delegation": demo.delegations[(20, "jiangsu")],
        },
    )
    crowd = [
        (Attendance.Role.EXPERT, ["GB", "RU", "US", "IL", "DE", "JP", "UA", "FI", "IT", "KR"]),
        (Attendance.Role.REPRESENTATIVE, ["CN"]),
        (Attendance.Role.VISITOR, ["CN", "CN", "CN", "HK", "MO"]),
        (Attendance.Role.MEDIA, ["CN", "GB"]),
    ]
    day_one = timezone.make_aware(datetime.combine(seventeenth.start_date, time(9)))
    for role, countries in crowd:
        for index in range(12):
            code = f"DEMO17{role[:3].upper()}{index:03d}"
            Attendance.objects.get_or_create(
                code=code,
                defaults={
                    "edition": seventeenth,
                    "name": f"{role.label} {index + 1}",
                    "role": role,
                    "country": countries[index % len(countries)],
                    "checked_in_at": day_one + timedelta(days=index % 2, minutes=7 * index),
                },
            )
