"""Demo data of Online Recruitment: employers' postings in every state, talents from several
countries, applications in several states, and the talent demands of Hebei and Jiangsu.

Every row is keyed on a natural key, so a second run changes nothing. Deadlines are relative to
today, so open postings stay open whenever the demo is loaded.
"""

from datetime import timedelta

from django.utils import timezone

from ..models import (
    Application,
    ApplicationEvent,
    DemandAnswer,
    JobLanguage,
    JobPosting,
    SavedSearch,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)

# key, org, edition, title_en, title_zh, field, type, city, province, remote, salary (min, max,
# period), degree, experience, permit, status, deadline in days, languages
POSTINGS = [
    (
        "szu-photonics",
        "szu",
        20,
        "Associate professor in biomedical photonics",
        "生物医学光子学副教授",
        "biomedical-photonics",
        "full_time",
        "Shenzhen",
        "Guangdong",
        False,
        (35000, 60000, "month"),
        4,
        5,
        "A",
        "published",
        45,
        ["en", "zh"],
    ),
    (
        "szu-postdoc",
        "szu",
        20,
        "Postdoctoral fellow in 2D materials",
        "二维材料博士后",
        "new-materials",
        "postdoc",
        "Shenzhen",
        "Guangdong",
        False,
        (300000, 400000, "year"),
        4,
        0,
        "B",
        "published",
        20,
        ["en"],
    ),
    (
        "szu-ai-visiting",
        "szu",
        20,
        "Visiting scholar in medical AI",
        "医学人工智能访问学者",
        "artificial-intelligence",
        "visiting",
        "Shenzhen",
        "Guangdong",
        False,
        None,
        3,
        3,
        "B",
        "draft",
        60,
        ["en"],
    ),
    (
        "nordic-5g",
        "helsinki-5g",
        20,
        "Private 5G network architect",
        "5G专网架构师",
        "5g",
        "consultant",
        "",
        "",
        True,
        (50000, 80000, "month"),
        3,
        8,
        "",
        "published",
        30,
        ["en"],
    ),
    (
        "nordic-5g-intern",
        "helsinki-5g",
        20,
        "5G test engineering intern",
        "5G测试工程实习生",
        "5g",
        "internship",
        "Shenzhen",
        "Guangdong",
        False,
        (6000, 8000, "month"),
        2,
        0,
        "",
        "closed",
        10,
        ["en", "zh"],
    ),
    (
        "galilee-diagnostics",
        "tel-aviv-bio",
        20,
        "Diagnostics R&D lead",
        "诊断产品研发负责人",
        "biomedicine",
        "full_time",
        "Shijiazhuang",
        "Hebei",
        False,
        (40000, 55000, "month"),
        4,
        10,
        "A",
        "published",
        25,
        ["en", "he"],
    ),
    (
        "optics-expired",
        "skolkovo",
        20,
        "Optical materials consultant",
        "光学材料顾问",
        "new-materials",
        "consultant",
        "Yancheng",
        "Jiangsu",
        False,
        None,
        4,
        12,
        "A",
        "expired",
        -5,
        ["ru", "en"],
    ),
    (
        "pitch-17",
        "pitch",
        17,
        "Start-up programme mentor (part-time)",
        "创业项目导师（兼职）",
        "fintech",
        "part_time",
        "Shenzhen",
        "Guangdong",
        False,
        (20000, 30000, "month"),
        2,
        6,
        "C",
        "closed",
        -1000,
        ["en"],
    ),
]

# key, email, name, nationality, residence, headline, summary_en, summary_zh, degree,
# institution, experience, fields, languages, visibility, province
TALENTS = [
    (
        "expert",
        None,
        None,
        "RU",
        "RU",
        "Photonics researcher, 12 years in optical materials",
        "Researcher in optical and photonic materials; 40 papers and 3 patents.",
        "光学与光子材料研究员；发表论文40篇，专利3项。",
        4,
        "Moscow State University",
        12,
        ["biomedical-photonics", "new-materials"],
        [("ru", "native"), ("en", "fluent"), ("zh", "basic")],
        "employers",
        "Guangdong",
    ),
    (
        "talent-de",
        "anna.becker@talent.example",
        "Dr Anna Becker",
        "DE",
        "DE",
        "5G systems engineer",
        "Designs campus 5G networks for factories.",
        "为工厂设计园区5G网络。",
        3,
        "TU Dresden",
        9,
        ["5g", "information-technology"],
        [("de", "native"), ("en", "fluent")],
        "employers",
        "",
    ),
    (
        "talent-gb",
        "james.wright@talent.example",
        "James Wright",
        "GB",
        "CN",
        "Fintech product manager based in Shenzhen",
        "Eight years building payment products in London and Shenzhen.",
        "在伦敦和深圳从事支付产品工作八年。",
        3,
        "London School of Economics",
        8,
        ["fintech"],
        [("en", "native"), ("zh", "working")],
        "applied",
        "Guangdong",
    ),
    (
        "talent-il",
        "noa.levi@talent.example",
        "Dr Noa Levi",
        "IL",
        "IL",
        "Molecular diagnostics scientist",
        "Develops point-of-care tests for chronic diseases.",
        "研发慢性病即时检测产品。",
        4,
        "Technion",
        11,
        ["biomedicine"],
        [("he", "native"), ("en", "fluent")],
        "employers",
        "Hebei",
    ),
    (
        "talent-cn",
        "liu.yang@talent.example",
        "Liu Yang",
        "CN",
        "US",
        "Returning AI researcher",
        "Machine learning for medical imaging; returning from Boston.",
        "医学影像机器学习研究者，自波士顿回国。",
        4,
        "MIT",
        6,
        ["artificial-intelligence", "biomedicine"],
        [("zh", "native"), ("en", "fluent")],
        "nobody",
        "Guangdong",
    ),
]

# posting key, talent key, state history
APPLICATIONS = [
    ("szu-photonics", "expert", ["submitted", "viewed", "shortlisted"]),
    ("galilee-diagnostics", "talent-il", ["submitted", "viewed", "interview", "offer"]),
    ("nordic-5g", "talent-de", ["submitted"]),
    ("nordic-5g-intern", "talent-cn", ["submitted", "rejected"]),
    ("szu-postdoc", "talent-cn", ["submitted", "withdrawn"]),
    (
        "pitch-17",
        "talent-gb",
        ["submitted", "viewed", "shortlisted", "interview", "offer", "hired"],
    ),
]

# delegation key, title_en, title_zh, field, level, number, description_en, description_zh,
# offer_en, offer_zh
DEMANDS = [
    (
        "hebei",
        "High-end experts in new materials for Hebei's steel industry",
        "河北钢铁产业新材料高端专家",
        "new-materials",
        "leading",
        3,
        "Experts in lightweight high-strength steels and coatings to lead provincial labs.",
        "轻量化高强钢与涂层方面的专家，领衔省级实验室。",
        "Project funding up to CNY 5 million, housing and a research team.",
        "最高500万元项目资助，提供住房及科研团队。",
    ),
    (
        "hebei",
        "Hydrogen energy engineers for Zhangjiakou",
        "张家口氢能工程师",
        "new-energy",
        "senior",
        5,
        "Engineers in hydrogen production and storage for the Zhangjiakou renewable zone.",
        "张家口可再生能源示范区制氢与储氢工程师。",
        "Work permits handled by the province; relocation allowance.",
        "省里协助办理工作许可；提供安家补贴。",
    ),
    (
        "jiangsu",
        "Intelligent-manufacturing experts for Jiangsu's enterprises",
        "江苏企业智能制造专家",
        "intelligent-manufacturing",
        "senior",
        10,
        "Foreign experts to upgrade production lines in Suzhou, Wuxi and Yancheng.",
        "为苏州、无锡、盐城企业升级生产线的外国专家。",
        "Funding for cooperation agreements signed at the conference.",
        "对在大会上签署的合作协议给予资助。",
    ),
    (
        "jiangsu",
        "Young talents in biomedicine",
        "生物医药青年人才",
        "biomedicine",
        "young",
        20,
        "Postdoctoral researchers for Nanjing's biomedicine valley.",
        "南京生物医药谷博士后研究人员。",
        "Postdoctoral grants and apartments.",
        "博士后资助及人才公寓。",
    ),
]


def seed(demo) -> None:
    postings = {row[0]: _posting(demo, row) for row in POSTINGS}
    profiles = {row[0]: _talent(demo, row) for row in TALENTS}
    for posting_key, talent_key, history in APPLICATIONS:
        _application(postings[posting_key], profiles[talent_key], history)
    SavedSearch.objects.get_or_create(
        user=demo.users["expert"],
        query="remote=on",
        defaults={"name": "Remote jobs"},
    )
    _demands(demo, profiles)


def _posting(demo, row) -> JobPosting:
    """A job posting; an open one loaded again later stays open."""
    now, today = timezone.now(), timezone.localdate()
    (key, org, number, title_en, title_zh, field, kind, city, province, remote, salary,
     degree, experience, permit, status, days, languages) = row  # fmt: skip
    salary_min, salary_max, period = salary or (None, None, "month")
    organisation = demo.organisations[org]
    edition = demo.editions[number]
    deadline = (
        today + timedelta(days=days) if number == 20 else edition.end_date + timedelta(days=30)
    )
    posting, created = JobPosting.objects.get_or_create(
        organisation=organisation,
        title_en=title_en,
        defaults={
            "edition": edition,
            "title_zh": title_zh,
            "description_en": f"{title_en} at {organisation.name_en}. "
            "Join a team working with partners across the world.",
            "description_zh": f"{organisation.name_zh}招聘{title_zh}，与全球伙伴合作。",
            "field": demo.fields[field],
            "type": kind,
            "city": city,
            "province": province,
            "remote": remote,
            "salary_min": salary_min,
            "salary_max": salary_max,
            "salary_period": period,
            "degree": degree,
            "experience_years": experience,
            "work_permit": permit,
            "r_visa_support": permit == "A",
            "relocation_help": permit in ("A", "B"),
            "housing_help": org == "szu",
            "deadline": deadline,
            "status": status,
            "published_at": None if status == "draft" else now - timedelta(days=3),
            "posted_by": demo.users["exhibitor"] if org == "szu" else None,
        },
    )
    if created:
        JobLanguage.objects.bulk_create(
            [JobLanguage(posting=posting, language=code) for code in languages]
        )
    elif status == "published" and posting.deadline < today:
        # Loaded again later: keep the open demo postings open.
        posting.deadline = today + timedelta(days=days)
        posting.save(update_fields=["deadline"])
    return posting


def _talent(demo, row) -> TalentProfile:
    """A talent profile, with an account of its own unless it is a demo account's."""
    (key, email, name, nationality, residence, headline, summary_en, summary_zh, degree,
     institution, experience, fields, languages, visibility, province) = row  # fmt: skip
    user = demo.users.get(key) if email is None else None
    if user is None:
        user = demo.account(key, email, name, "talent", came_as="talent")
    profile, created = TalentProfile.objects.get_or_create(
        user=user,
        defaults={
            "headline": headline,
            "summary_en": summary_en,
            "summary_zh": summary_zh,
            "nationality": nationality,
            "residence": residence,
            "degree": degree,
            "institution": institution,
            "experience_years": experience,
            "visibility": visibility,
            "province": province,
        },
    )
    if created:
        profile.fields.set([demo.fields[slug] for slug in fields])
        TalentLanguage.objects.bulk_create(
            [
                TalentLanguage(profile=profile, language=code, level=level)
                for code, level in languages
            ]
        )
    return profile


def _application(posting, profile, history) -> None:
    """An application with its history, the last step its state."""
    now = timezone.now()
    application, created = Application.objects.get_or_create(
        posting=posting,
        talent=profile,
        defaults={
            "cover_letter": f"I would like to apply for “{posting.title_en}”. {profile.summary_en}",
            "state": history[-1],
        },
    )
    if created:
        previous = ""
        for step, state in enumerate(history):
            by = profile.user if state in ("submitted", "withdrawn") else posting.posted_by
            ApplicationEvent.objects.create(
                application=application,
                from_state=previous,
                to_state=state,
                by=by,
                created_at=now - timedelta(days=len(history) - step),
            )
            previous = state


def _demands(demo, profiles) -> None:
    """The delegations' talent demands, one with an answer."""
    for row in DEMANDS:
        (key, title_en, title_zh, field, level, number, desc_en, desc_zh, offer_en,
         offer_zh) = row  # fmt: skip
        TalentDemand.objects.get_or_create(
            delegation=demo.delegations[(20, key)],
            title_en=title_en,
            defaults={
                "title_zh": title_zh,
                "field": demo.fields[field],
                "level": level,
                "number": number,
                "description_en": desc_en,
                "description_zh": desc_zh,
                "offer_en": offer_en,
                "offer_zh": offer_zh,
                "created_by": demo.users["delegate"] if key == "jiangsu" else None,
            },
        )
    hebei_materials = TalentDemand.objects.get(
        delegation=demo.delegations[(20, "hebei")], title_en=DEMANDS[0][1]
    )
    DemandAnswer.objects.get_or_create(
        demand=hebei_materials,
        talent=profiles["expert"],
        defaults={"message": "I lead a lab in optical coatings and would be glad to help."},
    )
