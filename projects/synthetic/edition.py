"""Project Cooperation's part of a synthetic edition (``generate_edition``).

Published projects of the generated organisations (offers and requests) and of the
delegations (their demands), with a few drafts and closed ones that the figures leave out;
cooperation intentions between the organisations, the delegations and foreign experts, most
of them answering a project, in every state, with their history; the agreements among them,
signed at the conference or in the weeks after; and a pitch competition with entries.

``--projects`` counts published projects, ``--intentions`` the intentions that are not
withdrawn, ``--agreements`` those signed or later (see ``projects.figures``). Every row is
inserted in bulk, and everything is drawn from ``ctx.rng``. Projects and intentions are owned or
submitted by the edition's organisations and delegations, so they go when the core replaces the
edition; the experts created here (``expert-<number>-<i>@generated.example``) are deleted at
the start of a re-run.
"""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from ciep.bilingual import edition_ordinal
from ciep.models import Field, Organisation
from ciep.synthetic.edition import GenerationContext, bulk

from ..models import (
    AmountBand,
    Competition,
    CompetitionEntry,
    CooperationType,
    Intention,
    IntentionEvent,
    ProgressReport,
    Project,
    ProjectCooperationType,
)

S = Intention.State

# The states an intention passed through to reach its state (as ``projects.synthetic.demo``).
PATH = {
    S.SUBMITTED: [S.SUBMITTED],
    S.CONFIRMED: [S.SUBMITTED, S.CONFIRMED],
    S.NEGOTIATING: [S.SUBMITTED, S.CONFIRMED, S.NEGOTIATING],
    S.SIGNED: [S.SUBMITTED, S.CONFIRMED, S.NEGOTIATING, S.SIGNED],
    S.IMPLEMENTING: [S.SUBMITTED, S.CONFIRMED, S.SIGNED, S.IMPLEMENTING],
    S.COMPLETED: [S.SUBMITTED, S.CONFIRMED, S.SIGNED, S.IMPLEMENTING, S.COMPLETED],
    S.DECLINED: [S.SUBMITTED, S.DECLINED],
    S.WITHDRAWN: [S.SUBMITTED, S.WITHDRAWN],
    S.LAPSED: [S.SUBMITTED, S.CONFIRMED, S.LAPSED],
}
# Counted intentions that are not agreements, and agreements, with their weights.
OPEN_WEIGHTS = [
    (S.SUBMITTED, 3),
    (S.CONFIRMED, 3),
    (S.NEGOTIATING, 3),
    (S.DECLINED, 1),
    (S.LAPSED, 1),
]
AGREEMENT_WEIGHTS = [(S.SIGNED, 5), (S.IMPLEMENTING, 3), (S.COMPLETED, 1)]

# Subjects of projects by field slug: (English, Chinese).
TOPICS = {
    "5g": [
        ("5G private network for smart ports", "智慧港口5G专网"),
        ("Millimetre-wave antenna modules", "毫米波天线模组"),
        ("5G edge computing platform", "5G边缘计算平台"),
    ],
    "biomedicine": [
        ("Biomedical photonics imaging", "生物医学光子成像"),
        ("Monoclonal antibody development", "单克隆抗体研发"),
        ("Rapid molecular diagnostics", "快速分子诊断"),
    ],
    "fintech": [
        ("Cross-border payment clearing", "跨境支付清算"),
        ("Supply-chain finance platform", "供应链金融平台"),
        ("Credit risk analytics", "信用风险分析"),
    ],
    "artificial-intelligence": [
        ("Machine vision for quality inspection", "机器视觉质量检测"),
        ("Speech recognition for dialects", "方言语音识别"),
        ("Medical image recognition", "医学影像识别"),
    ],
    "information-technology": [
        ("Industrial internet platform", "工业互联网平台"),
        ("Cloud data centre cooling", "云数据中心冷却"),
        ("Cybersecurity for utilities", "公用事业网络安全"),
    ],
    "intelligent-manufacturing": [
        ("Collaborative industrial robots", "协作工业机器人"),
        ("Precision CNC machining", "精密数控加工"),
        ("Digital twin of production lines", "生产线数字孪生"),
    ],
    "new-materials": [
        ("Graphene thermal films", "石墨烯导热膜"),
        ("Carbon-fibre composites", "碳纤维复合材料"),
        ("High-entropy alloys", "高熵合金"),
    ],
    "new-energy": [
        ("Solid-state battery cells", "固态电池电芯"),
        ("Hydrogen fuel-cell stacks", "氢燃料电池电堆"),
        ("Offshore wind turbine blades", "海上风电叶片"),
    ],
    "environmental-protection": [
        ("Industrial wastewater treatment", "工业废水处理"),
        ("Soil remediation", "土壤修复"),
        ("Solid waste recycling", "固体废物资源化"),
    ],
}
GENERIC_TOPICS = [("Technology cooperation", "技术合作")]
OFFER_FORMS = [
    ("{topic}: technology transfer", "{topic}技术转让"),
    ("{topic} seeking industrial partners", "{topic}寻求产业化合作伙伴"),
    ("{topic}: licensing and joint production", "{topic}许可与联合生产"),
]
REQUEST_FORMS = [
    ("Seeking {topic} technology", "寻求{topic}技术"),
    ("{topic}: expert team wanted", "{topic}专家团队引进"),
    ("Investment sought for {topic}", "{topic}项目招商引资"),
]
DEMAND_OFFERS = (
    "Industrial park space, a start-up subsidy and talent housing.",
    "产业园区场地、创业补贴和人才公寓。",
)
EXPERT_SURNAMES = [
    ("Smith", "史密斯"),
    ("Müller", "穆勒"),
    ("Ivanov", "伊万诺夫"),
    ("Cohen", "科恩"),
    ("Tanaka", "田中"),
    ("Kim", "金"),
    ("Virtanen", "维尔塔宁"),
    ("Rossi", "罗西"),
    ("Dubois", "杜波依斯"),
    ("Brown", "布朗"),
]
SIGNING_PLACES = [
    ("Shenzhen Convention and Exhibition Center", "深圳会展中心"),
    ("Shenzhen", "深圳"),
    ("Guangzhou", "广州"),
]


def expert_email(number: int, index: int) -> str:
    return f"expert-{number}-{index}@generated.example"


def _weighted(rng, weights):
    return rng.choices([value for value, _ in weights], [weight for _, weight in weights])[0]


def _at(day: date, rng) -> datetime:
    """A timezone-aware moment during office hours on ``day``."""
    moment = datetime.combine(day, time(9)) + timedelta(minutes=rng.randrange(9 * 60))
    return timezone.make_aware(moment)


def _spread(total: int, weights, rng) -> list:
    """``total`` states drawn by weight, shuffled."""
    return [_weighted(rng, weights) for _ in range(total)]


def generate(ctx: GenerationContext) -> None:
    number = ctx.edition.number
    # Experts created for this number by an earlier run (their intentions went with it).
    get_user_model().objects.filter(
        email__startswith=f"expert-{number}-", email__endswith="@generated.example"
    ).delete()
    if not (ctx.options["projects"] or ctx.options["intentions"]):
        return
    if not ctx.organisation_ids and not ctx.delegation_ids:
        raise ValueError(
            "Projects and intentions need organisations or delegations to own and submit them."
        )
    _Cooperation(ctx).build()


class _Cooperation:
    """The projects, experts, intentions and competition of one synthetic edition."""

    def __init__(self, ctx: GenerationContext):
        self.ctx, self.rng, self.edition = ctx, ctx.rng, ctx.edition
        self.number, self.start = ctx.edition.number, ctx.edition.start_date
        self.organisation_ids = list(ctx.organisation_ids)
        self.delegation_ids = list(ctx.delegation_ids)
        self.countries = dict(
            Organisation.objects.filter(pk__in=self.organisation_ids).values_list("pk", "country")
        )
        self.field_slugs = dict(
            Field.objects.filter(pk__in=ctx.field_ids).values_list("pk", "slug")
        )
        self.field_ids = list(ctx.field_ids)
        self.type_values = [value for value, _ in CooperationType.choices]
        self.bands = [value for value, _ in AmountBand.choices]

    def build(self) -> None:
        options = self.ctx.options
        projects, fields_of_project = self.create_projects(options["projects"])
        published = [project for project in projects if project.state == Project.State.PUBLISHED]
        experts = self.create_experts(options["intentions"])
        self.create_intentions(
            options["intentions"], options["agreements"], published, fields_of_project, experts
        )
        if published:
            self.create_competition(published)

    def pick_fields(self, low, high):
        if not self.field_ids:
            return []
        return self.rng.sample(
            self.field_ids, min(len(self.field_ids), self.rng.randint(low, high))
        )

    def topic(self, fields):
        choices = TOPICS.get(self.field_slugs.get(fields[0]), GENERIC_TOPICS) if fields else None
        return self.rng.choice(choices or GENERIC_TOPICS)

    # --- Projects: the published ones asked for, and one in twenty more as drafts or closed.

    def create_projects(self, count: int) -> tuple[list[Project], dict[int, list[int]]]:
        rng, progress = self.rng, self.ctx.progress
        projects, project_fields, project_types = [], [], []
        for index in range(count + count // 20):
            if index < count:
                state = Project.State.PUBLISHED
            else:
                state = rng.choice([Project.State.DRAFT, Project.State.CLOSED])
            project, fields = self.project_row(index, state)
            projects.append(project)
            project_fields.append(fields)
            project_types.append(rng.sample(self.type_values, rng.randint(1, 2)))
        projects = bulk(Project, projects, progress, "projects")
        through = Project.fields.through
        bulk(
            through,
            [
                through(project_id=project.pk, field_id=field_id)
                for project, fields in zip(projects, project_fields, strict=True)
                for field_id in fields
            ],
            progress,
            "project fields",
        )
        bulk(
            ProjectCooperationType,
            [
                ProjectCooperationType(project_id=project.pk, type=kind)
                for project, kinds in zip(projects, project_types, strict=True)
                for kind in kinds
            ],
            progress,
            "project cooperation types",
        )
        fields_of_project = {
            project.pk: fields for project, fields in zip(projects, project_fields, strict=True)
        }
        return projects, fields_of_project

    def project_owner(self) -> tuple[dict, str, str]:
        """Who owns a project (an organisation or, one time in six, a delegation), its kind
        and its country."""
        rng = self.rng
        owner = {"organisation_id": None, "delegation_id": None}
        if self.delegation_ids and (not self.organisation_ids or rng.random() < 0.16):
            owner["delegation_id"] = rng.choice(self.delegation_ids)
            return owner, Project.Kind.REQUEST, "CN"
        owner["organisation_id"] = rng.choice(self.organisation_ids)
        kind = Project.Kind.OFFER if rng.random() < 0.6 else Project.Kind.REQUEST
        return owner, kind, self.countries[owner["organisation_id"]]

    def project_row(self, index: int, state: str) -> tuple[Project, list[int]]:
        rng, number = self.rng, self.number
        owner, kind, country = self.project_owner()
        fields = self.pick_fields(1, 3)
        subject_en, subject_zh = self.topic(fields)
        form_en, form_zh = rng.choice(OFFER_FORMS if kind == Project.Kind.OFFER else REQUEST_FORMS)
        title_en = form_en.format(topic=subject_en)
        published_at = (
            _at(self.start - timedelta(days=rng.randrange(90)), rng)
            if state != Project.State.DRAFT
            else None
        )
        hidden = state == Project.State.PUBLISHED and rng.random() < 0.01
        project = Project(
            edition=self.edition,
            kind=kind,
            **owner,
            owner_country=country,
            title_en=title_en[0].upper() + title_en[1:],
            title_zh=form_zh.format(topic=subject_zh),
            summary_en=(
                f"{subject_en}: {'an offer' if kind == Project.Kind.OFFER else 'a request'}"
                f" to partners met at the {edition_ordinal(number, 'en')} of CIEP."
            ),
            summary_zh=f"{subject_zh}：面向第{number}届人才交流大会的合作伙伴。",
            offers_en=DEMAND_OFFERS[0] if owner["delegation_id"] else "",
            offers_zh=DEMAND_OFFERS[1] if owner["delegation_id"] else "",
            stage=rng.choice(Project.Stage.values),
            country_sought=(
                rng.choice(["", "DE", "GB", "IL", "RU", "US", "JP", "KR", "FI"])
                if kind == Project.Kind.REQUEST
                else ""
            ),
            region_sought="Greater Bay Area" if rng.random() < 0.2 else "",
            amount_band=rng.choice(self.bands + [""]),
            contact_name=f"Project contact {index + 1}",
            contact_email=f"project-{number}-{index + 1}@generated.example",
            contact_phone=f"+86 755 {8000_0000 + index}",
            state=state,
            published_at=published_at,
            hidden_at=published_at + timedelta(days=2) if hidden else None,
            hidden_reason="Duplicate of another project." if hidden else "",
        )
        return project, fields

    # --- Experts met at the conference, counterparts of some intentions.

    def create_experts(self, n_intentions: int) -> list:
        n_experts = max(1, n_intentions // 20) if n_intentions else 0
        experts = []
        for index in range(n_experts):
            surname_en, _surname_zh = EXPERT_SURNAMES[index % len(EXPERT_SURNAMES)]
            experts.append(
                get_user_model()(
                    email=expert_email(self.number, index + 1),
                    name=f"Professor {surname_en} {index + 1}",
                    password="!",
                )
            )
        return bulk(get_user_model(), experts, self.ctx.progress, "experts")

    # --- Intentions: the counted ones asked for (agreements first), and withdrawn ones.

    def create_intentions(self, count, agreements, published, fields_of_project, experts) -> None:
        rng = self.rng
        self.published, self.fields_of_project = published, fields_of_project
        self.expert_ids = [expert.pk for expert in experts]
        self.expert_names = {expert.pk: expert.name for expert in experts}
        states = [_weighted(rng, AGREEMENT_WEIGHTS) for _ in range(agreements)]
        states += _spread(count - agreements, OPEN_WEIGHTS, rng)
        states += [S.WITHDRAWN] * (count // 25)
        rng.shuffle(states)
        intentions, intention_fields, paths = [], [], []
        for state in states:
            intention, fields = self.intention_row(state)
            intentions.append(intention)
            intention_fields.append(fields)
            paths.append(PATH[state])
        intentions = bulk(Intention, intentions, self.ctx.progress, "intentions")
        self.create_intention_details(intentions, intention_fields, paths)

    def intention_parties(self) -> tuple[dict, str, list[int]]:
        """Who submits an intention and to whom, the counterpart's team and its fields."""
        rng = self.rng
        row = {
            "delegation_id": None,
            "organisation_id": None,
            "counterpart_organisation_id": None,
            "counterpart_delegation_id": None,
            "counterpart_expert_id": None,
            "project": None,
        }
        # Submitter: a delegation (for its region) or an organisation.
        if self.delegation_ids and (not self.organisation_ids or rng.random() < 0.55):
            row["delegation_id"] = rng.choice(self.delegation_ids)
        else:
            row["organisation_id"] = rng.choice(self.organisation_ids)
        project = rng.choice(self.published) if self.published and rng.random() < 0.6 else None
        if project and (
            (project.organisation_id and project.organisation_id == row["organisation_id"])
            or (project.delegation_id and project.delegation_id == row["delegation_id"])
        ):
            project = None
        if project:
            # It answers the project: the counterpart is the project's owner.
            row["project"] = project
            row["counterpart_organisation_id"] = project.organisation_id
            row["counterpart_delegation_id"] = project.delegation_id
            return row, "", self.fields_of_project[project.pk]
        team = self.choose_counterpart(row)
        return row, team, self.pick_fields(1, 2)

    def choose_counterpart(self, row: dict) -> str:
        """Set the counterpart of an intention that answers no project; return its team."""
        rng = self.rng
        roll = rng.random()
        other_organisation = rng.choice(self.organisation_ids) if self.organisation_ids else None
        if other_organisation == row["organisation_id"]:
            other_organisation = None
        other_delegations = [pk for pk in self.delegation_ids if pk != row["delegation_id"]]
        if other_organisation and roll < 0.75:
            row["counterpart_organisation_id"] = other_organisation
        elif other_delegations and roll < 0.85:
            row["counterpart_delegation_id"] = rng.choice(other_delegations)
        else:
            expert_id = rng.choice(self.expert_ids)
            row["counterpart_expert_id"] = expert_id
            return f"{self.expert_names[expert_id]}'s team" if rng.random() < 0.5 else ""
        return ""

    def intention_row(self, state: str) -> tuple[Intention, list[int]]:
        rng = self.rng
        row, team, fields = self.intention_parties()
        project = row["project"]
        if project:
            description_en = f"In answer to the project “{project.title_en}”."
            description_zh = f"响应项目“{project.title_zh}”。"
        else:
            subject_en, subject_zh = self.topic(fields)
            description_en = f"Cooperation on {subject_en[0].lower()}{subject_en[1:]}."
            description_zh = f"关于{subject_zh}的合作。"
        kind = rng.choice(self.type_values)
        path = PATH[state]
        submitted_on = self.start + timedelta(days=rng.randrange(2))
        moments = [_at(submitted_on, rng)]
        for _step in path[1:]:
            moments.append(moments[-1] + timedelta(days=rng.randrange(1, 20)))
        signed = state in Intention.AGREEMENT_STATES
        signed_at = next(
            (moment for moment, step in zip(moments, path, strict=True) if step == S.SIGNED),
            None,
        )
        place_en, place_zh = rng.choice(SIGNING_PLACES) if signed else ("", "")
        publishes = signed and rng.random() < 0.6
        intention = Intention(
            edition=self.edition,
            **row,
            counterpart_team=team,
            cooperation_type=kind,
            description_en=description_en,
            description_zh=description_zh,
            amount_band=rng.choice(self.bands + [""]),
            state=state,
            state_changed_at=moments[-1],
            signed_on=timezone.localdate(signed_at) if signed else None,
            signed_place_en=place_en,
            signed_place_zh=place_zh,
            submitter_publishes=publishes,
            counterpart_publishes=publishes,
        )
        return intention, fields

    def create_intention_details(self, intentions, intention_fields, paths) -> None:
        """The intentions' fields, history and, for those being carried out, progress."""
        progress = self.ctx.progress
        through = Intention.fields.through
        bulk(
            through,
            [
                through(intention_id=intention.pk, field_id=field_id)
                for intention, fields in zip(intentions, intention_fields, strict=True)
                for field_id in fields
            ],
            progress,
            "intention fields",
        )
        bulk(
            IntentionEvent,
            [
                IntentionEvent(
                    intention_id=intention.pk,
                    from_state=path[step - 1] if step else "",
                    to_state=path[step],
                )
                for intention, path in zip(intentions, paths, strict=True)
                for step in range(len(path))
            ],
            progress,
            "intention history",
        )
        bulk(
            ProgressReport,
            [
                ProgressReport(
                    intention_id=intention.pk,
                    milestone=12 if intention.state == S.COMPLETED else 3,
                    text=(
                        "The joint team is in place and the first milestone is met."
                        if intention.state == S.IMPLEMENTING
                        else "The cooperation is complete; the results are in production."
                    ),
                )
                for intention in intentions
                if intention.state in (S.IMPLEMENTING, S.COMPLETED)
            ],
            progress,
            "progress reports",
        )

    # --- A pitch competition with some of the projects.

    def create_competition(self, published: list[Project]) -> None:
        number = self.number
        competition = Competition.objects.create(
            edition=self.edition,
            slug=f"pitch-{number}",
            name_en=f"Innovation & Entrepreneurship Pitch {number}",
            name_zh=f"第{number}届创新创业项目路演",
            description_en="Projects pitched to investors and delegations at the conference.",
            description_zh="面向投资机构和代表团的项目路演。",
            entries_open=False,
        )
        entered = self.rng.sample(published, min(len(published), 30))
        results = [CompetitionEntry.Result.WINNER] + [CompetitionEntry.Result.FINALIST] * 5
        bulk(
            CompetitionEntry,
            [
                CompetitionEntry(
                    competition=competition,
                    project=project,
                    result=results[index] if index < len(results) else "entered",
                    award="First prize" if index == 0 else "",
                )
                for index, project in enumerate(entered)
            ],
            self.ctx.progress,
            "competition entries",
        )
