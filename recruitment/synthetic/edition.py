"""Online Recruitment's part of a synthetic edition (``generate_edition``).

Employers among the generated organisations post ``--jobs`` postings that reached the public
(published, then closed or expired once their deadline passed), plus a few drafts and hidden
ones that the report does not count. Talents, created for the edition as users with unusable
passwords, send exactly ``--applications`` applications to the counted postings, each with the
history of its state changes. Every delegation publishes a few talent demands, which some
talents answer. Everything is inserted in bulk and drawn from ``ctx.rng`` only.
"""

import math
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from ciep.models import Delegation, Field, Language, User
from ciep.synthetic.edition import COUNTRIES, bulk

from ..models import (
    Application,
    ApplicationEvent,
    Degree,
    DemandAnswer,
    JobLanguage,
    JobPosting,
    SavedJob,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)

# role (English, Chinese), posting type, lowest degree
ROLES = [
    ("Senior engineer", "高级工程师", JobPosting.Type.FULL_TIME, Degree.BACHELOR),
    ("Research scientist", "研究科学家", JobPosting.Type.FULL_TIME, Degree.DOCTORATE),
    ("Chief scientist", "首席科学家", JobPosting.Type.FULL_TIME, Degree.DOCTORATE),
    ("Postdoctoral fellow", "博士后研究员", JobPosting.Type.POSTDOC, Degree.DOCTORATE),
    ("Visiting professor", "客座教授", JobPosting.Type.VISITING, Degree.DOCTORATE),
    ("Technical consultant", "技术顾问", JobPosting.Type.CONSULTANT, Degree.MASTER),
    ("Product manager", "产品经理", JobPosting.Type.FULL_TIME, Degree.BACHELOR),
    ("Laboratory director", "实验室主任", JobPosting.Type.FULL_TIME, Degree.DOCTORATE),
    ("Data scientist", "数据科学家", JobPosting.Type.FULL_TIME, Degree.MASTER),
    ("Project manager", "项目经理", JobPosting.Type.PART_TIME, Degree.BACHELOR),
    ("Training instructor", "培训讲师", JobPosting.Type.PART_TIME, Degree.BACHELOR),
    ("Research intern", "研究实习生", JobPosting.Type.INTERNSHIP, Degree.NONE),
]
# city, province (as the posting form takes them, in English)
PLACES = [
    ("Shenzhen", "Guangdong"),
    ("Guangzhou", "Guangdong"),
    ("Zhuhai", "Guangdong"),
    ("Beijing", "Beijing"),
    ("Shanghai", "Shanghai"),
    ("Hangzhou", "Zhejiang"),
    ("Ningbo", "Zhejiang"),
    ("Suzhou", "Jiangsu"),
    ("Nanjing", "Jiangsu"),
    ("Wuhan", "Hubei"),
    ("Chengdu", "Sichuan"),
    ("Xi'an", "Shaanxi"),
    ("Qingdao", "Shandong"),
    ("Hefei", "Anhui"),
    ("Shijiazhuang", "Hebei"),
    ("Dalian", "Liaoning"),
]
FIRST_NAMES = [
    "Anna",
    "Boris",
    "Carlos",
    "Daniel",
    "Elena",
    "Fatima",
    "Hans",
    "Ingrid",
    "Kenji",
    "Laura",
    "Mikko",
    "Noa",
    "Olga",
    "Pierre",
    "Ravi",
    "Sofia",
    "Thomas",
    "Yuna",
]
SURNAMES = [
    "Andersson",
    "Becker",
    "Cohen",
    "Dubois",
    "García",
    "Ivanova",
    "Kim",
    "Korhonen",
    "Müller",
    "Nakamura",
    "Rossi",
    "Sharma",
    "Smith",
    "Tanaka",
    "Novak",
    "Silva",
]
CHINESE_NAMES = ["王伟", "李娜", "张磊", "刘洋", "陈静", "杨帆", "赵敏", "黄强", "周婷", "吴昊"]
# The language spoken at home in a country, besides English, when the portal knows it.
NATIVE_LANGUAGE = {
    "CN": "zh",
    "RU": "ru",
    "UA": "ru",
    "BY": "ru",
    "KZ": "ru",
    "DE": "de",
    "AT": "de",
    "CH": "de",
    "FR": "fr",
    "BE": "fr",
    "ES": "es",
    "AR": "es",
    "MX": "es",
    "CL": "es",
    "JP": "ja",
    "KR": "ko",
    "EG": "ar",
    "AE": "ar",
    "SA": "ar",
    "PT": "pt",
    "BR": "pt",
    "IT": "it",
    "IL": "he",
    "FI": "fi",
}
INSTITUTIONS = [
    "University of Cambridge",
    "Moscow State University",
    "Technion – Israel Institute of Technology",
    "Technical University of Munich",
    "University of Helsinki",
    "Seoul National University",
    "University of Tokyo",
    "Politecnico di Milano",
    "Tsinghua University",
    "Shenzhen University",
]
DEMAND_LEVELS = [
    (TalentDemand.Level.LEADING, "Leading talents", "领军人才"),
    (TalentDemand.Level.SENIOR, "Senior experts", "高级专家"),
    (TalentDemand.Level.PROFESSIONAL, "Professionals", "专业人才"),
    (TalentDemand.Level.YOUNG, "Young talents", "青年人才"),
]
S = Application.State
# The path every application walks from "submitted"; rejected and withdrawn ones leave it early.
PATH = [S.SUBMITTED, S.VIEWED, S.SHORTLISTED, S.INTERVIEW, S.OFFER, S.HIRED]
STATE_WEIGHTS = [
    (S.SUBMITTED, 26),
    (S.VIEWED, 18),
    (S.SHORTLISTED, 12),
    (S.INTERVIEW, 9),
    (S.OFFER, 4),
    (S.HIRED, 5),
    (S.REJECTED, 21),
    (S.WITHDRAWN, 5),
]
# Talents apply to two postings on average, some to one, a few to up to five.
APPLICATIONS_PER_TALENT, MOST_APPLICATIONS_PER_TALENT = 2, 5
DRAFT_SHARE, HIDDEN_SHARE = 20, 50  # one draft per 20 counted postings, one hidden per 50


def _email_prefix(number: int) -> str:
    return f"talent-{number}-"


def _moment(day, rng) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(8))) + timedelta(
        minutes=rng.randrange(11 * 60)
    )


def generate(ctx) -> None:
    """Add the edition's job postings, talents, applications and talent demands.

    Refuses applications without postings to apply to, and postings without employers.
    Talents generated before for the same edition number are deleted first (with their
    applications), so a re-run replaces them.
    """
    options, edition = ctx.options, ctx.edition
    jobs, applications = options["jobs"], options["applications"]
    if applications and not jobs:
        raise ValueError("Applications need job postings: give --jobs above 0.")
    if jobs and not ctx.organisation_ids:
        raise ValueError("Job postings need employers: give --organisations above 0.")
    number = edition.number
    User.objects.filter(
        email__startswith=_email_prefix(number), email__endswith="@generated.example"
    ).delete()

    fields = list(
        Field.objects.filter(pk__in=ctx.field_ids).values_list("pk", "name_en", "name_zh")
    )
    today = timezone.localdate()
    start = edition.start_date
    postings = _postings(ctx, fields, jobs, today)
    counted = [p for p in postings if p.status != JobPosting.Status.DRAFT and not p.hidden_at]
    shares = _shares(ctx.rng, applications, jobs)
    talents = _talents(ctx, fields, len(shares))
    _applications(ctx, counted, talents, shares)
    _saved_jobs(ctx, counted, talents)
    _demands(ctx, fields, talents, start)

    # ``created_at`` is set to "now" by bulk_create; date the rows as they happened instead.
    JobPosting.objects.filter(edition=edition, published_at__isnull=False).update(
        created_at=F("published_at"), updated_at=F("published_at")
    )
    first_event = ApplicationEvent.objects.filter(application=OuterRef("pk"), from_state="").values(
        "created_at"
    )[:1]
    Application.objects.filter(posting__edition=edition).update(
        created_at=Subquery(first_event), updated_at=F("state_changed_at")
    )
    _analyze()


def _analyze() -> None:
    """Refresh PostgreSQL's statistics of the tables just filled.

    Without them the planner takes the freshly filled tables for nearly empty ones until
    autovacuum comes by, and picks nested loops (the report's count of hires over a join took
    a second at full size instead of milliseconds). ANALYZE samples the rows this transaction
    inserted too.
    """
    if connection.vendor != "postgresql":
        return
    models = [
        User,
        JobPosting,
        JobLanguage,
        TalentProfile,
        TalentProfile.fields.through,
        TalentLanguage,
        Application,
        ApplicationEvent,
        SavedJob,
        TalentDemand,
        DemandAnswer,
    ]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _postings(ctx, fields, jobs: int, today) -> list[JobPosting]:
    rng = ctx.rng
    organisations = list(ctx.organisation_ids)
    # About one employer per two or three postings; the others only exhibit.
    employers = organisations[: max(1, min(len(organisations), math.ceil(jobs / 2.5)))]
    total = jobs + jobs // DRAFT_SHARE + jobs // HIDDEN_SHARE
    rows, languages = [], []
    for index in range(total):
        rows.append(_posting(ctx, fields, employers[index % len(employers)], index, jobs, today))
        languages.append(_wanted_languages(rng))
    rows = bulk(JobPosting, rows, ctx.progress, "job postings")
    bulk(
        JobLanguage,
        [
            JobLanguage(posting_id=posting.pk, language=language)
            for posting, wanted in zip(rows, languages, strict=True)
            for language in wanted
        ],
        ctx.progress,
        "required languages",
    )
    return rows


def _salary(rng) -> tuple[int | None, int | None, str]:
    """A posting's salary range (most give one) and its period."""
    salary_min = salary_max = None
    period = JobPosting.SalaryPeriod.MONTH
    if rng.random() < 0.85:
        salary_min = rng.randrange(8, 60) * 1000
        salary_max = salary_min + rng.randrange(0, 30) * 1000
        if rng.random() < 0.2:
            period = JobPosting.SalaryPeriod.YEAR
            salary_min, salary_max = salary_min * 12, salary_max * 12
    return salary_min, salary_max, period


def _posting_status(rng, index: int, jobs: int, start, today) -> tuple:
    """Status, publication, hiding and deadline of the ``index``-th posting: the first
    ``jobs`` are counted, then come drafts, then hidden ones."""
    published_at = _moment(start - timedelta(days=rng.randrange(7, 60)), rng)
    deadline = start + timedelta(days=rng.randrange(-5, 90))
    draw = rng.random()
    hidden_at = None
    if index >= jobs + jobs // DRAFT_SHARE:
        status, hidden_at = JobPosting.Status.PUBLISHED, published_at + timedelta(days=2)
    elif index >= jobs:
        status, published_at = JobPosting.Status.DRAFT, None
    elif deadline < today:
        status = JobPosting.Status.CLOSED if draw < 0.15 else JobPosting.Status.EXPIRED
    else:
        status = JobPosting.Status.CLOSED if draw < 0.08 else JobPosting.Status.PUBLISHED
    return status, published_at, hidden_at, deadline


def _posting(ctx, fields, organisation_id: int, index: int, jobs: int, today) -> JobPosting:
    rng, edition = ctx.rng, ctx.edition
    role_en, role_zh, kind, degree = ROLES[rng.randrange(len(ROLES))]
    field_id, field_en, field_zh = fields[rng.randrange(len(fields))]
    remote = rng.random() < 0.1
    city, province = ("", "") if remote else PLACES[rng.randrange(len(PLACES))]
    salary_min, salary_max, period = _salary(rng)
    top = salary_max
    monthly = None if top is None else (top // 12 if period == "year" else top)
    status, published_at, hidden_at, deadline = _posting_status(
        rng, index, jobs, edition.start_date, today
    )
    return JobPosting(
        edition=edition,
        organisation_id=organisation_id,
        title_en=f"{role_en}, {field_en}",
        title_zh=f"{field_zh}{role_zh}",
        description_en=(
            f"We are looking for a {role_en.lower()} to strengthen our {field_en} team "
            f"in {city or 'a remote team'}. You will lead projects with partners in "
            "China and abroad, and mentor young colleagues."
        ),
        description_zh=(
            f"我们正在招聘{field_zh}领域的{role_zh}，"
            f"工作地点{city or '远程'}。您将与国内外合作伙伴共同负责项目，并指导青年同事。"
        ),
        field_id=field_id,
        type=kind,
        city=city,
        province=province,
        remote=remote,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=period,
        salary_monthly=monthly,
        experience_years=rng.randrange(0, 12),
        degree=degree,
        openings=rng.randrange(1, 6),
        deadline=deadline,
        work_permit=rng.choice(["", "A", "B", "B", "C"]),
        r_visa_support=rng.random() < 0.3,
        relocation_help=rng.random() < 0.5,
        housing_help=rng.random() < 0.4,
        status=status,
        published_at=published_at,
        hidden_at=hidden_at,
        hidden_reason="Duplicate of another posting." if hidden_at else "",
    )


def _wanted_languages(rng) -> list[str]:
    """The languages a posting requires: English or Chinese or both, sometimes another."""
    wanted = ["en"] if rng.random() < 0.9 else []
    if rng.random() < 0.5 or not wanted:
        wanted.append("zh")
    if rng.random() < 0.15:
        other = rng.choice(["ru", "de", "fr", "ja", "ko", "he"])
        wanted.append(other)
    return wanted


def _talents(ctx, fields, count: int) -> list[TalentProfile]:
    rng = ctx.rng
    foreign = [code for code in COUNTRIES[: ctx.options["countries"]] if code != "CN"] or ["GB"]
    users, profiles, profile_fields, profile_languages = [], [], [], []
    for index in range(count):
        nationality = "CN" if rng.random() < 0.15 else foreign[rng.randrange(len(foreign))]
        users.append(_talent_account(ctx, index, nationality))
        profile, chosen = _talent_profile(rng, fields, nationality)
        profiles.append(profile)
        profile_fields.append([pk for pk, _en, _zh in chosen])
        profile_languages.append(_spoken(rng, nationality))
    _save_talents(ctx, users, profiles, profile_fields, profile_languages)
    return profiles


def _talent_account(ctx, index: int, nationality: str) -> User:
    rng, number = ctx.rng, ctx.edition.number
    start = ctx.edition.start_date
    if nationality == "CN":
        name = CHINESE_NAMES[rng.randrange(len(CHINESE_NAMES))]
    else:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
    return User(
        email=f"{_email_prefix(number)}{index + 1}@generated.example",
        name=name,
        password="!",
        came_as=User.CameAs.TALENT,
        preferred_language=Language.CHINESE if nationality == "CN" else Language.ENGLISH,
        date_joined=_moment(start - timedelta(days=rng.randrange(20, 400)), rng),
    )


def _talent_profile(rng, fields, nationality: str) -> tuple[TalentProfile, list]:
    """A talent's profile (not saved) and the fields it names."""
    role_en, role_zh, _kind, degree = ROLES[rng.randrange(len(ROLES))]
    chosen = rng.sample(fields, rng.choice([1, 1, 2]))
    field_en = chosen[0][1]
    years = rng.randrange(0, 25)
    profile = TalentProfile(
        headline=f"{role_en}, {field_en}",
        summary_en=(f"{years} years in {field_en}; looking for long-term cooperation in China."),
        summary_zh=f"从事{chosen[0][2]}工作{years}年，希望在中国长期发展。",
        nationality=nationality,
        residence=nationality if rng.random() < 0.8 else "CN",
        province=rng.choice(["", "", PLACES[rng.randrange(len(PLACES))][1]]),
        degree=max(degree, rng.choice([Degree.BACHELOR, Degree.MASTER, Degree.DOCTORATE])),
        institution=rng.choice(INSTITUTIONS),
        experience_years=years,
        visibility=rng.choice(
            [
                TalentProfile.Visibility.EMPLOYERS,
                TalentProfile.Visibility.EMPLOYERS,
                TalentProfile.Visibility.APPLIED,
                TalentProfile.Visibility.NOBODY,
            ]
        ),
    )
    return profile, chosen


def _spoken(rng, nationality: str) -> dict[str, str]:
    """The languages a talent speaks, with their levels."""
    spoken = {"en": "native" if nationality in ("GB", "US", "AU", "CA", "IE", "NZ") else "fluent"}
    native = NATIVE_LANGUAGE.get(nationality)
    if native:
        spoken[native] = "native"
    if "zh" not in spoken and rng.random() < 0.4:
        spoken["zh"] = rng.choice(["basic", "working"])
    return spoken


def _save_talents(ctx, users, profiles, profile_fields, profile_languages) -> None:
    """Insert the talents' accounts and profiles, their fields and languages; ``profiles``
    get their primary keys and users."""
    users = bulk(User, users, ctx.progress, "talents")
    for user, profile in zip(users, profiles, strict=True):
        profile.user_id = user.pk
    profiles[:] = bulk(TalentProfile, profiles, ctx.progress, "talent profiles")
    through = TalentProfile.fields.through
    bulk(
        through,
        [
            through(talentprofile_id=profile.pk, field_id=field_id)
            for profile, field_ids in zip(profiles, profile_fields, strict=True)
            for field_id in field_ids
        ],
        ctx.progress,
        "talent fields",
    )
    bulk(
        TalentLanguage,
        [
            TalentLanguage(profile_id=profile.pk, language=language, level=level)
            for profile, spoken in zip(profiles, profile_languages, strict=True)
            for language, level in spoken.items()
        ],
        ctx.progress,
        "talent languages",
    )
    for profile, user in zip(profiles, users, strict=True):
        profile.user = user


def _shares(rng, applications: int, jobs: int) -> list[int]:
    """How many applications each talent sends: ``applications`` in all, each at least one and
    at most one per posting (so never more than ``jobs``)."""
    if not applications:
        return []
    cap = min(jobs, MOST_APPLICATIONS_PER_TALENT)
    talents = max(math.ceil(applications / APPLICATIONS_PER_TALENT), math.ceil(applications / cap))
    shares = [1] * talents
    open_ = list(range(talents)) if cap > 1 else []
    for _extra in range(applications - talents):
        position = rng.randrange(len(open_))
        index = open_[position]
        shares[index] += 1
        if shares[index] == cap:
            open_[position] = open_[-1]
            open_.pop()
    return shares


def _applications(ctx, postings, talents, shares: list[int]) -> None:
    """``sum(shares)`` applications, at most one per talent and posting."""
    rng = ctx.rng
    states = [state for state, _weight in STATE_WEIGHTS]
    weights = [weight for _state, weight in STATE_WEIGHTS]
    rows, histories = [], []
    for talent, share in zip(talents, shares, strict=True):
        for position in rng.sample(range(len(postings)), share):
            posting = postings[position]
            opened = posting.published_at
            closes = timezone.make_aware(datetime.combine(posting.deadline, time(23)))
            span = max(int((closes - opened).total_seconds()), 3600)
            applied_at = opened + timedelta(seconds=rng.randrange(span))
            state = rng.choices(states, weights)[0]
            if state in (S.REJECTED, S.WITHDRAWN):
                path = PATH[: rng.randrange(1, 5)] + [state]
            else:
                path = PATH[: PATH.index(state) + 1]
            history, moment = [], applied_at
            for step, to_state in enumerate(path):
                if step:
                    moment += timedelta(hours=rng.randrange(6, 24 * 6))
                by = talent.user_id if to_state in (S.SUBMITTED, S.WITHDRAWN) else None
                history.append((path[step - 1] if step else "", to_state, moment, by))
            rows.append(
                Application(
                    posting_id=posting.pk,
                    talent_id=talent.pk,
                    cover_letter=(
                        f"Dear {posting.title_en} hiring team,\n\nI would like to apply: my "
                        f"profile shows my work as {talent.headline.lower()}.\n\n"
                        f"{talent.user.name}"
                    ),
                    state=state,
                    state_changed_at=moment,
                )
            )
            histories.append(history)
    rows = bulk(Application, rows, ctx.progress, "applications")
    bulk(
        ApplicationEvent,
        [
            ApplicationEvent(
                application_id=application.pk,
                from_state=from_state,
                to_state=to_state,
                created_at=moment,
                by_id=by,
            )
            for application, history in zip(rows, histories, strict=True)
            for from_state, to_state, moment, by in history
        ],
        ctx.progress,
        "application events",
    )


def _saved_jobs(ctx, postings, talents) -> None:
    """Every fifth talent keeps a posting for later."""
    if not postings:
        return
    bulk(
        SavedJob,
        [
            SavedJob(
                user_id=talent.user_id, posting_id=postings[ctx.rng.randrange(len(postings))].pk
            )
            for talent in talents[::5]
        ],
        ctx.progress,
        "saved jobs",
    )


def _demands(ctx, fields, talents, start) -> None:
    """Each delegation asks for talents ("Talent SHOW"); every tenth talent answers one."""
    rng = ctx.rng
    delegations = list(
        Delegation.objects.filter(pk__in=ctx.delegation_ids)
        .order_by("pk")
        .values_list("pk", "name_en", "name_zh")
    )
    rows = []
    for delegation_id, name_en, name_zh in delegations:
        for _index in range(rng.randrange(1, 5)):
            level, level_en, level_zh = DEMAND_LEVELS[rng.randrange(len(DEMAND_LEVELS))]
            field_id, field_en, field_zh = fields[rng.randrange(len(fields))]
            rows.append(
                TalentDemand(
                    delegation_id=delegation_id,
                    title_en=f"{level_en} in {field_en} for {name_en}",
                    title_zh=f"{name_zh}诚聘{field_zh}{level_zh}",
                    description_en=(
                        f"{name_en} seeks {level_en.lower()} in {field_en} to lead research "
                        "and industrial projects with local enterprises and universities."
                    ),
                    description_zh=(
                        f"{name_zh}诚聘{field_zh}领域{level_zh}，"
                        "与本地企业和高校合作开展研发与产业化项目。"
                    ),
                    offer_en="Research funding, housing subsidy and help with the work permit.",
                    offer_zh="提供科研经费、住房补贴，并协助办理工作许可。",
                    field_id=field_id,
                    number=rng.randrange(1, 11),
                    level=level,
                    status=(
                        TalentDemand.Status.OPEN
                        if rng.random() < 0.7
                        else TalentDemand.Status.CLOSED
                    ),
                )
            )
    demands = bulk(TalentDemand, rows, ctx.progress, "talent demands")
    if not demands:
        return
    bulk(
        DemandAnswer,
        [
            DemandAnswer(
                demand_id=demands[rng.randrange(len(demands))].pk,
                talent_id=talent.pk,
                message=(
                    "I would be glad to present my work to your delegation and discuss cooperation."
                ),
            )
            for talent in talents[::10]
        ],
        ctx.progress,
        "answers to demands",
    )
