"""The exhibition hall's part of a synthetic edition (``generate_edition``).

``--booths N --exhibition-area M2`` give exactly N booths whose sizes add up to exactly M2 m².
Shell-scheme booths keep their catalogue sizes (9, 12 or 18 m²) whenever the area allows it;
raw space and the delegations' pavilions absorb the rest. The booths are spread over halls of
about 8,000 m² each and laid out in rows with aisles on each hall's plan, pavilions together in
the last hall (the provinces' and cities' hall). Most booths go to exhibitors drawn from the
generated organisations; the others are available or reserved by a pending application.
Exhibitors offer negotiation slots over the two conference days, and people generated for the
purpose (``negotiator-<number>-<i>@generated.example``) hold meetings in them.
"""

import math
from datetime import datetime, time, timedelta

from django.utils import timezone

from ciep.generate import bulk
from ciep.models import Organisation, User

from .models import Application, Booth, Exhibitor, Hall, Meeting, Product, Slot

# A booth's size is a PositiveSmallIntegerField.
MAX_BOOTH_M2 = 32767
HALL_TARGET_M2 = 8000
MARGIN = 2
AISLE = 3
# Row labels on the plans; I, O and P are left out (P is for pavilions).
ROW_LETTERS = "ABCDEFGHJKLMNQRSTUVWXYZ"

# (kind, width, depth, weight): shell-scheme booths keep their size, raw space scales.
BOOTH_TYPES = [
    (Booth.Kind.STANDARD, 3, 3, 45),
    (Booth.Kind.STANDARD, 4, 3, 20),
    (Booth.Kind.STANDARD, 6, 3, 15),
    (Booth.Kind.RAW, 6, 6, 10),
    (Booth.Kind.RAW, 9, 6, 5),
    (Booth.Kind.RAW, 12, 9, 3),
    (Booth.Kind.RAW, 18, 12, 2),
]
PAVILION_SHAPES = [(12, 12), (18, 12), (24, 12), (24, 18)]

HALL_THEMES = [
    ("Sci-tech innovation", "科技创新"),
    ("Intelligent manufacturing", "智能制造"),
    ("Biomedicine and health", "生物医药与健康"),
    ("Talent and education", "人才与教育"),
    ("Overseas talent organisations", "海外人才机构"),
    ("Digital economy", "数字经济"),
    ("New energy and materials", "新能源与新材料"),
    ("Entrepreneurship and incubation", "创新创业与孵化"),
    ("Provinces and cities", "省市展区"),
]

DESCRIPTIONS = [
    (
        "Looking for partners and senior experts to bring our technology to the Greater Bay Area.",
        "寻找合作伙伴和高层次专家，将我们的技术带到大湾区。",
    ),
    (
        "Research results ready for transfer, and joint laboratories with Chinese universities.",
        "可转化的科研成果，以及与中国高校共建联合实验室。",
    ),
    (
        "Training programmes for engineers and managers, online and in Shenzhen.",
        "面向工程师和管理人员的线上及深圳线下培训项目。",
    ),
    (
        "Recruiting international talent for our research and development centres.",
        "为研发中心招聘国际人才。",
    ),
    (
        "Products on show at the booth, with live demonstrations every hour.",
        "展位现场展示产品，每小时一场现场演示。",
    ),
    (
        "Talent services: introducing foreign experts to enterprises and institutes.",
        "人才服务：为企业和科研院所引进外国专家。",
    ),
]
PRODUCTS = [
    (
        "Industrial vision system",
        "工业视觉系统",
        "Inspection of parts on the line.",
        "产线零件检测。",
    ),
    (
        "Private 5G network kit",
        "5G专网套件",
        "Networks for ports and factories.",
        "港口与工厂专网。",
    ),
    ("Rapid diagnostic test", "快速诊断试剂", "Results in fifteen minutes.", "十五分钟出结果。"),
    (
        "Solid-state battery cell",
        "固态电池电芯",
        "Higher density, safer cells.",
        "更高能量密度、更安全。",
    ),
    ("Online training platform", "在线培训平台", "Courses for engineers.", "面向工程师的课程。"),
    ("Graphene coating", "石墨烯涂层", "Corrosion protection for steel.", "钢材防腐。"),
    (
        "Service robot",
        "服务机器人",
        "Reception and guidance in public halls.",
        "公共场所接待与引导。",
    ),
    ("Water treatment membrane", "水处理膜", "Lower energy use per tonne.", "吨水能耗更低。"),
]
FIRST_NAMES = ["Wei", "Fang", "Anna", "James", "Olga", "Yuki", "Marco", "Lena", "Jun", "Priya"]
FAMILY_NAMES = ["Li", "Wang", "Zhang", "Smith", "Ivanova", "Sato", "Rossi", "Müller", "Chen"]
MEETING_STATES = [
    (Meeting.State.ACCEPTED, 70),
    (Meeting.State.DECLINED, 12),
    (Meeting.State.CANCELLED, 8),
    (Meeting.State.LAPSED, 10),
]


def negotiator_email(number: int, index: int) -> str:
    return f"negotiator-{number}-{index}@generated.example"


def booth_sizes(bases: list[int], adjustable: list[bool], total: int) -> list[int]:
    """Integer sizes, each between 1 and ``MAX_BOOTH_M2``, adding up to exactly ``total``.

    When the area allows it, only the adjustable booths (raw space, pavilions) are scaled and
    the others keep their base size; otherwise every booth is scaled alike.
    """
    count = len(bases)
    if not count:
        return []
    fixed = sum(base for base, free in zip(bases, adjustable, strict=True) if not free)
    free_base = sum(base for base, free in zip(bases, adjustable, strict=True) if free)
    if free_base and total - fixed >= free_base:
        scaled = [index for index in range(count) if adjustable[index]]
        target = total - fixed
    else:
        scaled = list(range(count))
        target = total
    sizes = list(bases)
    weight = sum(bases[index] for index in scaled)
    remainders = []
    for index in scaled:
        exact = bases[index] * target / weight
        sizes[index] = min(MAX_BOOTH_M2, max(1, math.floor(exact)))
        remainders.append((exact - math.floor(exact), index))
    difference = total - sum(sizes)
    # What flooring left over goes to the largest remainders, one square metre each.
    for _rest, index in sorted(remainders, reverse=True):
        if difference <= 0:
            break
        if sizes[index] < MAX_BOOTH_M2:
            sizes[index] += 1
            difference -= 1
    # What the bounds (at least 1 m², at most MAX_BOOTH_M2) left over: the largest give or take.
    for index in sorted(range(count), key=lambda index: -sizes[index]):
        if difference > 0:
            step = min(difference, MAX_BOOTH_M2 - sizes[index])
        elif difference < 0:
            step = -min(-difference, sizes[index] - 1)
        else:
            break
        sizes[index] += step
        difference -= step
    if difference:
        raise ValueError("The exhibition area cannot be split into booths of these sizes.")
    return sizes


def footprint(size: int, width: int, depth: int) -> tuple[int, int]:
    """Width and depth on the plan for ``size`` m², keeping the shape's proportions."""
    if width * depth == size:
        return width, depth
    ratio = width / depth
    depth = max(1, round(math.sqrt(size / ratio)))
    return max(1, round(size / depth)), depth


def row_label(row: int) -> str:
    label = ""
    row += 1
    while row:
        row, rest = divmod(row - 1, len(ROW_LETTERS))
        label = ROW_LETTERS[rest] + label
    return label


def lay_out(hall: Hall, booths: list[Booth]) -> None:
    """Place ``booths`` in rows on ``hall``'s plan and size the plan to fit them."""
    drawn = sum(booth.width * booth.depth for booth in booths)
    widest = max(booth.width for booth in booths)
    # About half again for the aisles, on a plan three wide for two deep.
    width = max(10, widest + 2 * MARGIN, math.ceil(math.sqrt(drawn * 1.5 * 1.5)))
    # Pavilions first, then the deepest rows, so that each row is even.
    booths.sort(key=lambda booth: (booth.kind != Booth.Kind.PAVILION, -booth.depth, -booth.width))
    x, y, row, seat, row_depth = MARGIN, MARGIN, 0, 0, 0
    pavilions = 0
    for booth in booths:
        if x + booth.width > width - MARGIN and seat:
            x, y, row, seat = MARGIN, y + row_depth + AISLE, row + 1, 0
            row_depth = 0
        booth.x, booth.y = x, y
        seat += 1
        if booth.kind == Booth.Kind.PAVILION:
            pavilions += 1
            booth.code = f"{hall.code}-P{pavilions}"
        else:
            booth.code = f"{hall.code}-{row_label(row)}{seat:02d}"
        booth.price_band = (
            Booth.PriceBand.A
            if row == 0 or booth.kind == Booth.Kind.PAVILION
            else Booth.PriceBand.B
            if row % 3
            else Booth.PriceBand.C
        )
        x += booth.width
        row_depth = max(row_depth, booth.depth)
    hall.plan_width = width
    hall.plan_height = max(10, y + row_depth + MARGIN)
    hall.area_m2 = hall.plan_width * hall.plan_height


def generate(ctx) -> None:
    options, rng, edition = ctx.options, ctx.rng, ctx.edition
    number = edition.number
    count, area = options["booths"], options["exhibition_area"]
    if count == 0 and area:
        raise ValueError("An exhibition area needs booths: give --booths.")
    if area < count:
        raise ValueError("Each booth needs at least 1 m²: give --exhibition-area >= --booths.")
    if area > count * MAX_BOOTH_M2:
        raise ValueError(f"A booth can measure at most {MAX_BOOTH_M2} m²: give more booths.")
    # People generated for an earlier run of this edition: their meetings went with it.
    User.objects.filter(
        email__startswith=f"negotiator-{number}-", email__endswith="@generated.example"
    ).delete()
    if not count:
        return

    # --- Booths: kinds, sizes and who holds them ---------------------------------------------
    delegation_ids = list(ctx.delegation_ids)
    pavilion_count = min(len(delegation_ids), round(len(delegation_ids) * 0.6), count // 5)
    pavilion_delegations = rng.sample(delegation_ids, pavilion_count)
    shapes = []
    weights = [weight for *_shape, weight in BOOTH_TYPES]
    for _index in range(count - pavilion_count):
        kind, width, depth, _weight = rng.choices(BOOTH_TYPES, weights)[0]
        shapes.append((kind, width, depth))
    for _index in range(pavilion_count):
        shapes.append((Booth.Kind.PAVILION, *rng.choice(PAVILION_SHAPES)))
    sizes = booth_sizes(
        [width * depth for _kind, width, depth in shapes],
        [kind != Booth.Kind.STANDARD for kind, _width, _depth in shapes],
        area,
    )

    organisations = list(
        Organisation.objects.filter(pk__in=ctx.organisation_ids).values_list("pk", "country")
    )
    organisations.sort()
    rng.shuffle(organisations)
    chinese = [pk for pk, country in organisations if country == "CN"]
    stand_count = count - pavilion_count
    # Pavilions place a few Chinese organisations each; the others exhibit at booths of their own.
    placed_ids = chinese[: min(pavilion_count * rng.randint(3, 6), len(chinese) // 2 + 1)]
    assigned_count = min(round(stand_count * 0.86), len(organisations) - len(placed_ids))
    reserved_count = min(round(stand_count * 0.04), stand_count - assigned_count)
    placed = set(placed_ids)
    booth_holders = [pk for pk, _country in organisations if pk not in placed]
    holder_ids = booth_holders[:assigned_count]
    applicant_ids = booth_holders[assigned_count : assigned_count + reserved_count]

    # --- Halls ------------------------------------------------------------------------------
    hall_count = min(count, max(2 if count > 1 else 1, math.ceil(area / HALL_TARGET_M2)))
    halls = []
    for index in range(hall_count):
        theme_en, theme_zh = HALL_THEMES[
            len(HALL_THEMES) - 1
            if index == hall_count - 1 and pavilion_count
            else index % (len(HALL_THEMES) - 1)
        ]
        code = str(index + 1)
        halls.append(
            Hall(
                edition=edition,
                code=code,
                name_en=f"Hall {code}: {theme_en}",
                name_zh=f"{code}号馆：{theme_zh}",
                order=index + 1,
            )
        )

    # Stands in a random order, then the pavilions, cut into halls of about equal area.
    order = list(range(stand_count))
    rng.shuffle(order)
    order += list(range(stand_count, count))
    booths = []
    for index in order:
        kind, width, depth = shapes[index]
        width, depth = footprint(sizes[index], width, depth)
        booths.append(Booth(kind=kind, size_m2=sizes[index], width=width, depth=depth))
    states = (
        [Booth.State.ASSIGNED] * assigned_count
        + [Booth.State.RESERVED] * reserved_count
        + [Booth.State.AVAILABLE] * (stand_count - assigned_count - reserved_count)
    )
    rng.shuffle(states)
    for booth, state in zip(booths, states, strict=False):
        booth.state = state
    for booth, delegation_id in zip(booths[stand_count:], pavilion_delegations, strict=True):
        booth.state = Booth.State.ASSIGNED
        booth.delegation_id = delegation_id

    by_hall = []
    start, running = 0, 0
    for hall_index in range(hall_count):
        end = start
        goal = area * (hall_index + 1) / hall_count
        last = count - (hall_count - hall_index - 1)
        while end < last and (end == start or running + booths[end].size_m2 <= goal):
            running += booths[end].size_m2
            end += 1
        if hall_index == hall_count - 1:
            end = count
        by_hall.append(booths[start:end])
        start = end
    for hall, hall_booths in zip(halls, by_hall, strict=True):
        lay_out(hall, hall_booths)
    halls = bulk(Hall, halls, ctx.progress, "exhibition halls")
    for hall, hall_booths in zip(halls, by_hall, strict=True):
        for booth in hall_booths:
            booth.hall = hall

    # --- Applications and exhibitors ----------------------------------------------------------
    decided_at = timezone.make_aware(
        datetime.combine(edition.start_date - timedelta(days=30), time(10))
    )
    stands = booths[:stand_count]
    assigned = [booth for booth in stands if booth.state == Booth.State.ASSIGNED]
    reserved = [booth for booth in stands if booth.state == Booth.State.RESERVED]
    pavilions = booths[stand_count:]
    field_ids = list(ctx.field_ids)

    def application(**values):
        text_en, text_zh = rng.choice(DESCRIPTIONS)
        return Application(
            edition=edition, description_en=text_en, description_zh=text_zh, **values
        )

    applications = []
    for organisation_id, booth in zip(holder_ids, assigned, strict=True):
        applications.append(
            application(
                organisation_id=organisation_id,
                booth_kind=booth.kind,
                size_m2=min(booth.size_m2, 5000),
                hall=booth.hall,
                state=Application.State.APPROVED,
                decided_at=decided_at,
            )
        )
    for booth in pavilions:
        applications.append(
            application(
                delegation_id=booth.delegation_id,
                booth_kind=Booth.Kind.PAVILION,
                size_m2=min(booth.size_m2, 5000),
                hall=booth.hall,
                state=Application.State.APPROVED,
                decided_at=decided_at,
            )
        )
    pending = []
    for organisation_id, booth in zip(applicant_ids, reserved, strict=False):
        pending.append(
            application(
                organisation_id=organisation_id,
                booth_kind=booth.kind,
                size_m2=min(booth.size_m2, 5000),
                hall=booth.hall,
                state=Application.State.SUBMITTED,
            )
        )
    applications = bulk(Application, applications + pending, ctx.progress, "exhibitor applications")

    # Pavilions hold delegations, not exhibitors, so they go in first for exhibitors to point at.
    pavilions = bulk(Booth, pavilions, ctx.progress, "pavilions")
    exhibitors = []
    for organisation_id, approved in zip(holder_ids, applications, strict=False):
        exhibitors.append(Exhibitor(organisation_id=organisation_id, application=approved))
    for index, organisation_id in enumerate(placed_ids):
        pavilion = pavilions[index % len(pavilions)] if pavilions else None
        exhibitors.append(
            Exhibitor(
                organisation_id=organisation_id,
                pavilion=pavilion,
                delegation_id=pavilion.delegation_id if pavilion else None,
            )
        )
    for exhibitor in exhibitors:
        text_en, text_zh = rng.choice(DESCRIPTIONS)
        exhibitor.edition = edition
        exhibitor.description_en = text_en
        exhibitor.description_zh = text_zh
        exhibitor.contact_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
        exhibitor.contact_email = f"expo-{exhibitor.organisation_id}@exhibitors.generated.example"
        exhibitor.page_views = rng.randrange(2000)
    exhibitors = bulk(Exhibitor, exhibitors, ctx.progress, "exhibitors")
    for booth, exhibitor in zip(assigned, exhibitors, strict=False):
        booth.exhibitor = exhibitor
    bulk(Booth, stands, ctx.progress, "booths")
    pending_booths = [
        Application(pk=row.pk, booth=booth)
        for row, booth in zip(
            applications[len(applications) - len(pending) :], reserved, strict=False
        )
    ]
    Application.objects.bulk_update(pending_booths, ["booth"], batch_size=2000)

    if field_ids:
        through = Exhibitor.fields.through
        rows = []
        for exhibitor in exhibitors:
            for field_id in rng.sample(field_ids, min(len(field_ids), rng.randint(1, 2))):
                rows.append(through(exhibitor_id=exhibitor.pk, field_id=field_id))
        bulk(through, rows, ctx.progress, "exhibitor fields")

    products = []
    for exhibitor in exhibitors:
        if rng.random() < 0.3:
            for order, item in enumerate(rng.sample(PRODUCTS, rng.randint(1, 3))):
                name_en, name_zh, summary_en, summary_zh = item
                products.append(
                    Product(
                        exhibitor=exhibitor,
                        name_en=name_en,
                        name_zh=name_zh,
                        summary_en=summary_en,
                        summary_zh=summary_zh,
                        order=order,
                    )
                )
    bulk(Product, products, ctx.progress, "products")

    _negotiations(ctx, exhibitors)


def _negotiations(ctx, exhibitors: list[Exhibitor]) -> None:
    """Slots over the two conference days, and meetings held in about half of them."""
    rng, edition = ctx.rng, ctx.edition
    china = timezone.get_default_timezone()
    starts = [
        datetime.combine(edition.start_date + timedelta(days=day), time(9, 30), china)
        + timedelta(minutes=30 * step)
        for day in range(2)
        for step in range(16)
        if step not in (5, 6, 7)  # lunch
    ]
    slots = []
    for exhibitor in exhibitors:
        if rng.random() < 0.35:
            for starts_at in sorted(rng.sample(starts, rng.randint(4, 8))):
                online = rng.random() < 0.5
                slots.append(
                    Slot(
                        exhibitor=exhibitor,
                        starts_at=starts_at,
                        duration_minutes=30,
                        mode=Slot.Mode.ONLINE if online else Slot.Mode.ON_SITE,
                        meeting_link=(
                            f"https://meet.generated.example/{exhibitor.pk}-{len(slots)}"
                            if online
                            else ""
                        ),
                    )
                )
    slots = bulk(Slot, slots, ctx.progress, "negotiation slots")
    booked = [slot for slot in slots if rng.random() < 0.55]

    number = edition.number
    people = bulk(
        User,
        [
            User(
                email=negotiator_email(number, index),
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}",
                password="!",
                came_as=rng.choice(
                    [User.CameAs.TALENT, User.CameAs.DELEGATION, User.CameAs.VISITOR]
                ),
            )
            for index in range(max(1, len(booked) // 3) if booked else 0)
        ],
        ctx.progress,
        "negotiators",
    )
    states, weights = zip(*MEETING_STATES, strict=True)
    busy = set()
    meetings = []
    for slot in booked:
        state = rng.choices(states, weights)[0]
        requester = rng.choice(people)
        if (requester.pk, slot.starts_at) in busy:
            # One live meeting per person at a time: someone else, or they had declined.
            requester = rng.choice(people)
            if (requester.pk, slot.starts_at) in busy:
                state = Meeting.State.DECLINED
        if state == Meeting.State.ACCEPTED:
            busy.add((requester.pk, slot.starts_at))
        meetings.append(
            Meeting(
                slot=slot,
                requester=requester,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                languages=rng.choice(["en,zh", "zh", "en", "en,ru"]),
                message="We would like to discuss cooperation.",
                state=state,
                note="Fully booked that day." if state == Meeting.State.DECLINED else "",
            )
        )
    bulk(Meeting, meetings, ctx.progress, "negotiation meetings")
