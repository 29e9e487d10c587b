"""Demo data of Project Cooperation, after the articles on the 17th and 20th editions.

The 17th edition (concluded) keeps its agreements: Jiangsu's intentions for introducing foreign
experts (96 intentions and 8 agreements, here at a smaller scale), Zhongshan's agreement with
Professor Zhang Han's team at Shenzhen University on biomedical photonics, and Zhaoqing's
partnership with the Hong Kong Vocational Training Council; Pitch@Palace China 3.0 and the
China (Shenzhen) Innovation & Entrepreneurship International Competition with their results.
The 20th edition (current) has open projects, demands and intentions in every state, dated
relative to today. Every row is keyed on a natural key, so a second run changes nothing.
"""

import datetime

from django.utils import timezone

from ..models import (
    Competition,
    CompetitionEntry,
    Intention,
    IntentionEvent,
    Project,
    ProjectCooperationType,
)

S = Intention.State

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


def _project(demo, edition, key, *, owner, fields, types, **values) -> Project:
    owner_kwargs = {"organisation": None, "delegation": None, "expert": None, **owner}
    country = (
        owner_kwargs["organisation"].country.code
        if owner_kwargs["organisation"]
        else owner_kwargs["delegation"].country.code
        if owner_kwargs["delegation"]
        else values.pop("owner_country", "")
    )
    project, _ = Project.objects.update_or_create(
        edition=edition,
        title_en=values.pop("title_en"),
        defaults={
            **owner_kwargs,
            "owner_country": country,
            "state": Project.State.PUBLISHED,
            "published_at": values.pop("published_at", None) or timezone.now(),
            "contact_name": values.pop("contact_name", "Project contact"),
            "contact_email": values.pop("contact_email", "projects@ciep.example"),
            "created_by": demo.users["organiser"],
            **values,
        },
    )
    project.fields.set([demo.fields[slug] for slug in fields])
    for kind in types:
        ProjectCooperationType.objects.get_or_create(project=project, type=kind)
    return project


def _intention(demo, edition, *, description_en, state, by_key, **values) -> Intention:
    fields = values.pop("fields", [])
    intention, _ = Intention.objects.update_or_create(
        edition=edition,
        description_en=description_en,
        defaults={
            "state": state,
            "submitted_by": demo.users[by_key],
            "state_changed_at": timezone.now(),
            **values,
        },
    )
    intention.fields.set([demo.fields[slug] for slug in fields])
    previous = ""
    for step in PATH[state]:
        IntentionEvent.objects.get_or_create(
            intention=intention,
            to_state=step,
            defaults={"from_state": previous, "by": demo.users[by_key]},
        )
        previous = step
    return intention


CEREMONY = {
    "signed_place_en": "Signing ceremony, Shenzhen Convention and Exhibition Center",
    "signed_place_zh": "深圳会展中心签约仪式",
}
SIGNED_17 = datetime.date(2019, 4, 15)


def seed(demo) -> None:
    # 17th edition: projects, demands and the agreements named in the articles.
    projects = {**_offers_17th(demo), **_requests_17th(demo)}
    _agreements_17th(demo, projects)
    _jiangsu_17th(demo)
    _competitions_17th(demo, projects)
    # 20th edition (current): open projects and intentions in every state.
    projects = {**_offers_20th(demo), **_more_projects_20th(demo)}
    _intentions_20th(demo, projects)
    _competition_20th(demo)


def _offers_17th(demo) -> dict[str, Project]:
    seventeenth, orgs = demo.editions[17], demo.organisations
    photonics = _project(
        demo,
        seventeenth,
        "photonics",
        owner={"organisation": orgs["szu"]},
        kind=Project.Kind.OFFER,
        title_en="Biomedical photonics research project",
        title_zh="生物医学光子学研究项目",
        summary_en="Professor Zhang Han's team at Shenzhen University offers its biomedical "
        "photonics research for joint development and industrialisation.",
        summary_zh="深圳大学张晗教授团队提供生物医学光子学研究成果，寻求联合研发与产业化合作。",
        team_name="Professor Zhang Han's team",
        stage=Project.Stage.PILOT,
        fields=["biomedical-photonics", "biomedicine"],
        types=["joint_rd", "technology_transfer"],
        contact_name="Zhang Han",
    )
    vocational = _project(
        demo,
        seventeenth,
        "vtc",
        owner={"organisation": orgs["vtc"]},
        kind=Project.Kind.OFFER,
        title_en="Vocational and professional training partnerships",
        title_zh="职业专才教育培训合作",
        summary_en="The Vocational Training Council shares its vocational and professional "
        "education programmes with cities of the Greater Bay Area.",
        summary_zh="香港职业训练局与大湾区城市分享职业专才教育课程。",
        stage=Project.Stage.INDUSTRIALISATION,
        region_sought="Guangdong-Hong Kong-Macao Greater Bay Area",
        country_sought="CN",
        fields=["education-and-training"],
        types=["training"],
    )
    return {"photonics": photonics, "vocational": vocational}


def _requests_17th(demo) -> dict[str, Project]:
    seventeenth, orgs = demo.editions[17], demo.organisations
    hebei_demand = _project(
        demo,
        seventeenth,
        "hebei",
        owner={"delegation": demo.delegations[(17, "hebei")]},
        kind=Project.Kind.REQUEST,
        title_en="Hebei 'Talent SHOW': new materials experts for project matchmaking",
        title_zh="河北“人才秀”：新材料领域专家项目对接",
        summary_en="Hebei seeks high-end experts in new materials and new energy for its "
        "enterprises; 150+ requests for talents and projects were released.",
        summary_zh="河北省为企业寻求新材料、新能源领域高端专家，共发布150余项人才和项目需求。",
        offers_en="Talent-attraction funding, laboratory space and housing.",
        offers_zh="人才引进资助、实验室场地和住房保障。",
        stage=Project.Stage.INDUSTRIALISATION,
        country_sought="RU",
        fields=["new-materials", "new-energy"],
        types=["talent", "technology_transfer"],
    )
    pitch_project = _project(
        demo,
        seventeenth,
        "pitch",
        owner={"organisation": orgs["pitch"]},
        kind=Project.Kind.OFFER,
        title_en="Fintech start-up acceleration",
        title_zh="金融科技初创企业加速",
        summary_en="Start-ups from the Pitch@Palace network seek investors and partners in China.",
        summary_zh="Pitch@Palace 网络中的初创企业在中国寻找投资方与合作伙伴。",
        stage=Project.Stage.PROTOTYPE,
        fields=["fintech", "information-technology"],
        types=["investment"],
    )
    return {"hebei_demand": hebei_demand, "pitch_project": pitch_project}


def _agreements_17th(demo, projects: dict[str, Project]) -> None:
    seventeenth, orgs = demo.editions[17], demo.organisations
    _intention(
        demo,
        seventeenth,
        description_en="Zhongshan and Professor Zhang Han's team at Shenzhen University agree "
        "on the biomedical photonics research project.",
        description_zh="中山市与深圳大学张晗教授团队就生物医学光子学研究项目达成协议。",
        state=S.IMPLEMENTING,
        by_key="organiser",
        delegation=demo.delegations[(17, "zhongshan")],
        project=projects["photonics"],
        counterpart_organisation=orgs["szu"],
        counterpart_team="Professor Zhang Han's team",
        cooperation_type="joint_rd",
        fields=["biomedical-photonics"],
        signed_on=SIGNED_17,
        submitter_publishes=True,
        counterpart_publishes=True,
        **CEREMONY,
    )
    _intention(
        demo,
        seventeenth,
        description_en="Zhaoqing builds a partnership with the Hong Kong Vocational Training "
        "Council for vocational training.",
        description_zh="肇庆市与香港职业训练局建立职业培训合作伙伴关系。",
        state=S.COMPLETED,
        by_key="organiser",
        delegation=demo.delegations[(17, "zhaoqing")],
        project=projects["vocational"],
        counterpart_organisation=orgs["vtc"],
        cooperation_type="training",
        fields=["education-and-training"],
        signed_on=SIGNED_17,
        submitter_publishes=True,
        counterpart_publishes=True,
        **CEREMONY,
    )
    _intention(
        demo,
        seventeenth,
        description_en="Hebei invites Russian experts in optical materials for project "
        "matchmaking.",
        description_zh="河北省邀请俄罗斯光学材料专家开展项目对接。",
        state=S.SIGNED,
        by_key="organiser",
        organisation=orgs["skolkovo"],
        project=projects["hebei_demand"],
        counterpart_delegation=demo.delegations[(17, "hebei")],
        cooperation_type="talent",
        fields=["new-materials"],
        signed_on=SIGNED_17,
        **CEREMONY,
    )


def _jiangsu_17th(demo) -> None:
    """Jiangsu: 96 intentions and 8 agreements for introducing foreign experts, at a smaller
    scale: 12 intentions, 8 of them signed."""
    seventeenth, orgs = demo.editions[17], demo.organisations
    jiangsu = demo.delegations[(17, "jiangsu")]
    partners = ["helsinki-5g", "tel-aviv-bio", "skolkovo", "pitch"]
    fields = ["5g", "biomedicine", "new-materials", "fintech"]
    for number in range(1, 13):
        state = (
            S.SIGNED if number <= 8 else [S.DECLINED, S.LAPSED, S.WITHDRAWN, S.LAPSED][number - 9]
        )
        _intention(
            demo,
            seventeenth,
            description_en=f"Jiangsu: introducing foreign experts, intention {number}.",
            description_zh=f"江苏省引进外国专家合作意向 {number}。",
            state=state,
            by_key="representative",
            delegation=jiangsu,
            counterpart_organisation=orgs[partners[number % 4]],
            cooperation_type="talent",
            fields=[fields[number % 4]],
            signed_on=SIGNED_17 if state == S.SIGNED else None,
            submitter_publishes=number == 1,
            counterpart_publishes=number == 1,
            **(CEREMONY if state == S.SIGNED else {}),
        )


def _competitions_17th(demo, projects: dict[str, Project]) -> None:
    seventeenth = demo.editions[17]
    pitch, _ = Competition.objects.update_or_create(
        slug="pitch-at-palace-china-3",
        defaults={
            "edition": seventeenth,
            "name_en": "Pitch@Palace China 3.0",
            "name_zh": "Pitch@Palace 中国 3.0",
            "description_en": "The final of Pitch@Palace China 3.0, held at the 17th CIEP.",
            "description_zh": "Pitch@Palace 中国 3.0 总决赛在第十七届人才交流大会举行。",
            "entries_open": False,
        },
    )
    CompetitionEntry.objects.update_or_create(
        competition=pitch,
        project=projects["pitch_project"],
        defaults={"result": CompetitionEntry.Result.WINNER, "award": "Winner"},
    )
    CompetitionEntry.objects.update_or_create(
        competition=pitch,
        project=projects["photonics"],
        defaults={"result": CompetitionEntry.Result.FINALIST},
    )
    innovation, _ = Competition.objects.update_or_create(
        slug="china-shenzhen-innovation-entrepreneurship-2019",
        defaults={
            "edition": seventeenth,
            "name_en": "China (Shenzhen) Innovation & Entrepreneurship International Competition",
            "name_zh": "中国（深圳）创新创业国际大赛",
            "entries_open": False,
        },
    )
    CompetitionEntry.objects.update_or_create(
        competition=innovation,
        project=projects["photonics"],
        defaults={"result": CompetitionEntry.Result.WINNER, "award": "First prize"},
    )


def _offers_20th(demo) -> dict[str, Project]:
    twentieth, orgs = demo.editions[20], demo.organisations
    five_g = _project(
        demo,
        twentieth,
        "5g",
        owner={"organisation": orgs["helsinki-5g"]},
        kind=Project.Kind.OFFER,
        title_en="Private 5G networks for smart factories",
        title_zh="智能工厂5G专网",
        summary_en="Nordic 5G Labs licenses its private 5G network design to manufacturers.",
        summary_zh="北欧5G实验室向制造企业授权其5G专网设计。",
        stage=Project.Stage.PILOT,
        country_sought="CN",
        amount_band="10m_50m",
        fields=["5g", "intelligent-manufacturing"],
        types=["licensing", "technology_transfer"],
    )
    diagnostics = _project(
        demo,
        twentieth,
        "diagnostics",
        owner={"organisation": orgs["tel-aviv-bio"]},
        kind=Project.Kind.OFFER,
        title_en="Early diagnostics for chronic diseases",
        title_zh="慢性病早期诊断",
        summary_en="Galilee Biomed seeks a Chinese partner for clinical trials and production.",
        summary_zh="加利利生物医药公司寻求中国合作伙伴开展临床试验和生产。",
        stage=Project.Stage.PROTOTYPE,
        fields=["biomedicine"],
        types=["joint_rd", "investment"],
    )
    optics = _project(
        demo,
        twentieth,
        "optics",
        owner={"expert": demo.users["expert"]},
        owner_country="RU",
        kind=Project.Kind.OFFER,
        title_en="Photonic materials for medical imaging",
        title_zh="医学成像光子材料",
        summary_en="Dr Elena Sokolova's team offers photonic materials research.",
        summary_zh="Elena Sokolova 博士团队提供光子材料研究成果。",
        team_name="Dr Elena Sokolova's team",
        stage=Project.Stage.RESEARCH,
        fields=["biomedical-photonics", "new-materials"],
        types=["joint_rd", "talent"],
    )
    return {"five_g": five_g, "diagnostics": diagnostics, "optics": optics}


def _more_projects_20th(demo) -> dict[str, Project]:
    twentieth, orgs = demo.editions[20], demo.organisations
    jiangsu20 = demo.delegations[(20, "jiangsu")]
    demand = _project(
        demo,
        twentieth,
        "jiangsu-demand",
        owner={"delegation": jiangsu20},
        kind=Project.Kind.REQUEST,
        title_en="Jiangsu seeks foreign experts in intelligent manufacturing",
        title_zh="江苏省诚聘智能制造领域外国专家",
        summary_en="Jiangsu's enterprises seek foreign experts and teams in intelligent "
        "manufacturing and 5G.",
        summary_zh="江苏企业诚聘智能制造和5G领域的外国专家及团队。",
        offers_en="Funding for agreements signed at the conference, land in industrial parks.",
        offers_zh="对大会签约项目给予资助，提供产业园区用地。",
        stage=Project.Stage.INDUSTRIALISATION,
        fields=["intelligent-manufacturing", "5g"],
        types=["talent", "technology_transfer"],
    )
    _project(
        demo,
        twentieth,
        "szu-ai",
        owner={"organisation": orgs["szu"]},
        kind=Project.Kind.OFFER,
        title_en="AI-assisted photonic diagnosis",
        title_zh="人工智能辅助光子诊断",
        summary_en="Shenzhen University transfers an AI model for photonic diagnosis.",
        summary_zh="深圳大学转让光子诊断人工智能模型。",
        stage=Project.Stage.PROTOTYPE,
        fields=["artificial-intelligence", "biomedical-photonics"],
        types=["technology_transfer", "licensing"],
    )
    return {"demand": demand}


def _intentions_20th(demo, projects: dict[str, Project]) -> None:
    twentieth, orgs = demo.editions[20], demo.organisations
    today = timezone.localdate()
    jiangsu20 = demo.delegations[(20, "jiangsu")]
    five_g, diagnostics, optics = projects["five_g"], projects["diagnostics"], projects["optics"]
    rows = [
        (S.SUBMITTED, five_g, {}),
        (S.CONFIRMED, diagnostics, {}),
        (S.NEGOTIATING, optics, {}),
        (S.DECLINED, diagnostics, {}),
        (S.WITHDRAWN, five_g, {}),
        (S.LAPSED, optics, {}),
        (S.SIGNED, five_g, {"signed_on": today - datetime.timedelta(days=100)}),
        (S.IMPLEMENTING, diagnostics, {"signed_on": today - datetime.timedelta(days=200)}),
        (S.COMPLETED, optics, {"signed_on": today - datetime.timedelta(days=400)}),
    ]
    for state, project, extra in rows:
        _intention(
            demo,
            twentieth,
            description_en=f"Jiangsu and {project.title_en}: {S(state).label.lower()}.",
            description_zh=f"江苏省与“{project.title_zh}”合作意向。",
            state=state,
            by_key="representative",
            delegation=jiangsu20,
            project=project,
            counterpart_organisation=project.organisation,
            counterpart_expert=project.expert,
            counterpart_team=project.team_name,
            cooperation_type=project.cooperation_types.first().type,
            fields=[field.slug for field in project.fields.all()],
            **(
                {"signed_place_en": "Online signing ceremony", "signed_place_zh": "线上签约仪式"}
                if "signed_on" in extra
                else {}
            ),
            **extra,
        )
    # A response to Jiangsu's demand, waiting for the delegation's answer.
    _intention(
        demo,
        twentieth,
        description_en="Shenzhen University answers Jiangsu's demand for intelligent "
        "manufacturing experts.",
        description_zh="深圳大学响应江苏省智能制造专家需求。",
        state=S.SUBMITTED,
        by_key="exhibitor",
        organisation=orgs["szu"],
        project=projects["demand"],
        counterpart_delegation=jiangsu20,
        cooperation_type="talent",
        fields=["intelligent-manufacturing"],
    )


def _competition_20th(demo) -> None:
    Competition.objects.update_or_create(
        slug="innovation-competition-2022",
        defaults={
            "edition": demo.editions[20],
            "name_en": "China (Shenzhen) Innovation & Entrepreneurship International "
            "Competition 2022",
            "name_zh": "2022 中国（深圳）创新创业国际大赛",
            "description_en": "Enter a published project of the 20th CIEP.",
            "description_zh": "第二十届大会已发布的项目均可报名参赛。",
            "entries_open": True,
        },
    )
