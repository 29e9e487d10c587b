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

from ciep.models import Organisation, User
from ciep.synthetic.edition import bulk, name_stem
from ciep.synthetic.images import attach, banner, logo
from ciep.synthetic.images import product as product_photo

from ..models import Application, Booth, Exhibitor, Hall, Meeting, Product, Slot

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
    count, area = ctx.options["booths"], ctx.options["exhibition_area"]
    if count == 0 and area:
        raise ValueError("An exhibition area needs booths: give --booths.")
    if area < count:
        raise ValueError("Each booth needs at least 1 m²: give --exhibition-area >= --booths.")
    if area > count * MAX_BOOTH_M2:
        raise ValueError(f"A booth can measure at most {MAX_BOOTH_M2} m²: give more booths.")
    # People generated for an earlier run of this edition: their meetings went with it.
    User.objects.filter(
        email__startswith=f"negotiator-{ctx.edition.number}-", email__endswith="@generated.example"
    ).delete()
    if not count:
        return
    exhibitors = _Exhibition(ctx, count, area).build()
    _negotiations(ctx, exhibitors)


class _Exhibition:
    """The halls, booths, applications, exhibitors and products of one synthetic edition."""

    def __init__(self, ctx, count: int, area: int):
        self.ctx, self.rng, self.edition = ctx, ctx.rng, ctx.edition
        self.count, self.area = count, area

    def build(self) -> list[Exhibitor]:
        self.plan_booths()
        self.choose_holders()
        booths = self.create_booth_rows()
        halls, booths = self.create_halls(booths)
        self.stands, self.pavilions = booths[: self.stand_count], booths[self.stand_count :]
        applications, pending = self.create_applications()
        exhibitors = self.create_exhibitors(applications, pending)
        self.create_exhibitor_fields(exhibitors)
        self.create_products(exhibitors)
        return exhibitors

    # --- Booths: kinds, sizes and who holds them ---------------------------------------------

    def plan_booths(self) -> None:
        rng, count = self.rng, self.count
        delegation_ids = list(self.ctx.delegation_ids)
        self.pavilion_count = min(len(delegation_ids), round(len(delegation_ids) * 0.6), count // 5)
        self.pavilion_delegations = rng.sample(delegation_ids, self.pavilion_count)
        self.stand_count = count - self.pavilion_count
        shapes = []
        weights = [weight for *_shape, weight in BOOTH_TYPES]
        for _index in range(self.stand_count):
            kind, width, depth, _weight = rng.choices(BOOTH_TYPES, weights)[0]
            shapes.append((kind, width, depth))
        for _index in range(self.pavilion_count):
            shapes.append((Booth.Kind.PAVILION, *rng.choice(PAVILION_SHAPES)))
        self.shapes = shapes
        self.sizes = booth_sizes(
            [width * depth for _kind, width, depth in shapes],
            [kind != Booth.Kind.STANDARD for kind, _width, _depth in shapes],
            self.area,
        )

    def choose_holders(self) -> None:
        """Pavilions place a few Chinese organisations each; the others exhibit at booths of
        their own (most), have applied for a reserved one (a few) or none."""
        rng, stand_count = self.rng, self.stand_count
        organisations = list(
            Organisation.objects.filter(pk__in=self.ctx.organisation_ids).values_list(
                "pk", "country"
            )
        )
        organisations.sort()
        rng.shuffle(organisations)
        chinese = [pk for pk, country in organisations if country == "CN"]
        self.placed_ids = chinese[
            : min(self.pavilion_count * rng.randint(3, 6), len(chinese) // 2 + 1)
        ]
        self.assigned_count = min(
            round(stand_count * 0.86), len(organisations) - len(self.placed_ids)
        )
        self.reserved_count = min(round(stand_count * 0.04), stand_count - self.assigned_count)
        placed = set(self.placed_ids)
        booth_holders = [pk for pk, _country in organisations if pk not in placed]
        self.holder_ids = booth_holders[: self.assigned_count]
        self.applicant_ids = booth_holders[
            self.assigned_count : self.assigned_count + self.reserved_count
        ]

    def create_booth_rows(self) -> list[Booth]:
        """Stands in a random order, then the pavilions, with their states (not saved)."""
        rng, stand_count = self.rng, self.stand_count
        order = list(range(stand_count))
        rng.shuffle(order)
        order += list(range(stand_count, self.count))
        booths = []
        for index in order:
            kind, width, depth = self.shapes[index]
            width, depth = footprint(self.sizes[index], width, depth)
            booths.append(Booth(kind=kind, size_m2=self.sizes[index], width=width, depth=depth))
        states = (
            [Booth.State.ASSIGNED] * self.assigned_count
            + [Booth.State.RESERVED] * self.reserved_count
            + [Booth.State.AVAILABLE] * (stand_count - self.assigned_count - self.reserved_count)
        )
        rng.shuffle(states)
        for booth, state in zip(booths, states, strict=False):
            booth.state = state
        pavilions = booths[stand_count:]
        for booth, delegation_id in zip(pavilions, self.pavilion_delegations, strict=True):
            booth.state = Booth.State.ASSIGNED
            booth.delegation_id = delegation_id
        return booths

    # --- Halls ------------------------------------------------------------------------------

    def hall_rows(self) -> list[Hall]:
        count, area = self.count, self.area
        hall_count = min(count, max(2 if count > 1 else 1, math.ceil(area / HALL_TARGET_M2)))
        halls = []
        for index in range(hall_count):
            theme_en, theme_zh = HALL_THEMES[
                len(HALL_THEMES) - 1
                if index == hall_count - 1 and self.pavilion_count
                else index % (len(HALL_THEMES) - 1)
            ]
            code = str(index + 1)
            halls.append(
                Hall(
                    edition=self.edition,
                    code=code,
                    name_en=f"Hall {code}: {theme_en}",
                    name_zh=f"{code}号馆：{theme_zh}",
                    order=index + 1,
                )
            )
        return halls

    def create_halls(self, booths: list[Booth]) -> tuple[list[Hall], list[Booth]]:
        """The halls, with the booths cut into them by about equal area and laid out."""
        halls = self.hall_rows()
        hall_count, count = len(halls), self.count
        by_hall = []
        start, running = 0, 0
        for hall_index in range(hall_count):
            end = start
            goal = self.area * (hall_index + 1) / hall_count
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
        halls = bulk(Hall, halls, self.ctx.progress, "exhibition halls")
        for hall, hall_booths in zip(halls, by_hall, strict=True):
            for booth in hall_booths:
                booth.hall = hall
        return halls, booths

    # --- Applications and exhibitors ----------------------------------------------------------

    def application(self, **values) -> Application:
        text_en, text_zh = self.rng.choice(DESCRIPTIONS)
        return Application(
            edition=self.edition, description_en=text_en, description_zh=text_zh, **values
        )

    def create_applications(self) -> tuple[list[Application], list[Application]]:
        """Approved applications of the booths' holders and pavilions, and pending ones."""
        decided_at = timezone.make_aware(
            datetime.combine(self.edition.start_date - timedelta(days=30), time(10))
        )
        self.assigned = [booth for booth in self.stands if booth.state == Booth.State.ASSIGNED]
        self.reserved = [booth for booth in self.stands if booth.state == Booth.State.RESERVED]
        approved = {"state": Application.State.APPROVED, "decided_at": decided_at}
        applications = []
        for organisation_id, booth in zip(self.holder_ids, self.assigned, strict=True):
            applications.append(
                self.application(organisation_id=organisation_id, **_asked(booth), **approved)
            )
        for booth in self.pavilions:
            applications.append(
                self.application(delegation_id=booth.delegation_id, **_asked(booth), **approved)
            )
        pending = []
        for organisation_id, booth in zip(self.applicant_ids, self.reserved, strict=False):
            pending.append(
                self.application(
                    organisation_id=organisation_id,
                    **_asked(booth),
                    state=Application.State.SUBMITTED,
                )
            )
        applications = bulk(
            Application, applications + pending, self.ctx.progress, "exhibitor applications"
        )
        return applications, applications[len(applications) - len(pending) :]

    def exhibitor_rows(self, applications, pavilions) -> list[Exhibitor]:
        rng = self.rng
        exhibitors = []
        for organisation_id, approved in zip(self.holder_ids, applications, strict=False):
            exhibitors.append(Exhibitor(organisation_id=organisation_id, application=approved))
        for index, organisation_id in enumerate(self.placed_ids):
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
            exhibitor.edition = self.edition
            exhibitor.description_en = text_en
            exhibitor.description_zh = text_zh
            exhibitor.contact_name = f"{rng.choice(FIRST_NAMES)} {rng.choice(FAMILY_NAMES)}"
            exhibitor.contact_email = (
                f"expo-{exhibitor.organisation_id}@exhibitors.generated.example"
            )
            exhibitor.page_views = rng.randrange(2000)
        return exhibitors

    def create_exhibitors(self, applications, pending) -> list[Exhibitor]:
        progress = self.ctx.progress
        # Pavilions hold delegations, not exhibitors, so they go in first for exhibitors to
        # point at.
        pavilions = bulk(Booth, self.pavilions, progress, "pavilions")
        exhibitors = self.exhibitor_rows(applications, pavilions)
        if self.ctx.options.get("images"):
            self.draw_exhibitors(exhibitors)
        exhibitors = bulk(Exhibitor, exhibitors, progress, "exhibitors")
        for booth, exhibitor in zip(self.assigned, exhibitors, strict=False):
            booth.exhibitor = exhibitor
        bulk(Booth, self.stands, progress, "booths")
        pending_booths = [
            Application(pk=row.pk, booth=booth)
            for row, booth in zip(pending, self.reserved, strict=False)
        ]
        Application.objects.bulk_update(pending_booths, ["booth"], batch_size=2000)
        return exhibitors

    def draw_exhibitors(self, exhibitors: list[Exhibitor]) -> None:
        """Logos and banners, drawn from the organisations' names."""
        organisations = Organisation.objects.in_bulk([e.organisation_id for e in exhibitors])
        for exhibitor in exhibitors:
            stem = name_stem(organisations[exhibitor.organisation_id])
            attach(exhibitor, "logo", logo(*stem))
            attach(exhibitor, "banner", banner(*stem))
        self.ctx.progress.step("exhibitor logos and banners", len(exhibitors), len(exhibitors))

    def create_exhibitor_fields(self, exhibitors: list[Exhibitor]) -> None:
        field_ids = list(self.ctx.field_ids)
        if not field_ids:
            return
        through = Exhibitor.fields.through
        rows = []
        for exhibitor in exhibitors:
            for field_id in self.rng.sample(field_ids, min(len(field_ids), self.rng.randint(1, 2))):
                rows.append(through(exhibitor_id=exhibitor.pk, field_id=field_id))
        bulk(through, rows, self.ctx.progress, "exhibitor fields")

    def create_products(self, exhibitors: list[Exhibitor]) -> None:
        rng = self.rng
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
                    if self.ctx.options.get("images"):
                        attach(products[-1], "image", product_photo(name_en))
        bulk(Product, products, self.ctx.progress, "products")


def _asked(booth: Booth) -> dict:
    """What an application for ``booth`` asked for."""
    return {"booth_kind": booth.kind, "size_m2": min(booth.size_m2, 5000), "hall": booth.hall}


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
    _meetings(ctx, booked)


def _meetings(ctx, booked: list[Slot]) -> None:
    """Meetings in the ``booked`` slots, requested by people generated for them."""
    rng, number = ctx.rng, ctx.edition.number
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
                languages=rng.choice(["English, 中文", "中文", "English", "English, Русский"]),
                message="We would like to discuss cooperation.",
                state=state,
                note="Fully booked that day." if state == Meeting.State.DECLINED else "",
            )
        )
    bulk(Meeting, meetings, ctx.progress, "negotiation meetings")
