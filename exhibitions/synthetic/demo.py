"""Demo data of the exhibition hall: halls, booths in every state, exhibitors from several
countries with profiles and images, a delegation pavilion, negotiation slots and meetings.

Every row is keyed on a natural key (hall code, booth code, edition and organisation, slot
time), so a second run changes nothing. Slots are placed in the days after the first run.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from ciep.synthetic.images import as_file, banner, logo
from ciep.synthetic.images import product as product_photo

from ..models import (
    Application,
    Booth,
    Exhibitor,
    GalleryImage,
    Hall,
    Interpreter,
    Meeting,
    Product,
    Slot,
)

HALLS = {
    17: [
        # Numbered after the halls of the generated 17th edition (at most nine).
        ("10", "Hall 10: Sci-tech innovation", "10号馆：科技创新", 12000, 52, 36),
        ("11", "Hall 11: Provinces and cities", "11号馆：省市展区", 10000, 52, 36),
    ],
    20: [
        ("A", "Virtual Hall A: Technology and innovation", "虚拟A馆：科技与创新", 6000, 52, 36),
        ("B", "Virtual Hall B: Talent and education", "虚拟B馆：人才与教育", 6000, 52, 36),
    ],
}

# (edition, organisation key, hall, booth code, description_en, description_zh, colour)
EXHIBITORS = [
    (
        17,
        "pitch",
        "10",
        "10-101",
        "Pitch@Palace China 3.0: the final of the entrepreneurship platform.",
        "Pitch@Palace 中国3.0 总决赛。",
        (30, 60, 140),
    ),
    (
        17,
        "skolkovo",
        "10",
        "10-102",
        "Optical materials and photonics for medicine and industry.",
        "面向医疗与工业的光学材料和光子技术。",
        (140, 40, 40),
    ),
    (
        17,
        "szu",
        "10",
        "10-103",
        "Biomedical photonics from Professor Zhang Han's team.",
        "张晗教授团队的生物医学光子学成果。",
        (0, 110, 90),
    ),
    (
        20,
        "szu",
        "A",
        "A-101",
        "Two-dimensional materials and biomedical photonics, open for cooperation online.",
        "二维材料与生物医学光子学，线上开放合作。",
        (0, 110, 90),
    ),
    (
        20,
        "helsinki-5g",
        "A",
        "A-102",
        "Private 5G networks for factories and ports, shown in a live online demo.",
        "面向工厂和港口的5G专网，线上实时演示。",
        (20, 90, 170),
    ),
    (
        20,
        "tel-aviv-bio",
        "A",
        "A-103",
        "Diagnostics for chronic diseases, looking for partners in the Greater Bay Area.",
        "慢性病诊断产品，寻找大湾区合作伙伴。",
        (120, 60, 150),
    ),
    (
        20,
        "skolkovo",
        "A",
        "A-104",
        "Photonics and new materials from Russia, the edition's observer, presented online.",
        "来自观察员国俄罗斯的光子学与新材料成果，线上展示。",
        (140, 40, 40),
    ),
    (
        20,
        "pitch",
        "B",
        "B-101",
        "Entrepreneurship and innovation incubation, online pitching sessions.",
        "创新创业孵化，线上路演。",
        (30, 60, 140),
    ),
]

PRODUCTS = {
    "szu": [
        (
            "Black phosphorus photothermal therapy",
            "黑磷光热治疗",
            "A nanomaterial platform for cancer therapy.",
            "用于肿瘤治疗的纳米材料平台。",
        ),
        (
            "Ultrafast fibre laser",
            "超快光纤激光器",
            "Compact lasers built on 2D materials.",
            "基于二维材料的紧凑型激光器。",
        ),
    ],
    "helsinki-5g": [
        (
            "Port 5G kit",
            "港口5G套件",
            "A private network for cranes and trucks.",
            "用于吊机和集卡的专网。",
        ),
    ],
}


def _booth_row(hall, prefix, first, count, y, width=4, depth=3):
    for index in range(count):
        Booth.objects.get_or_create(
            hall=hall,
            code=f"{prefix}{first + index}",
            defaults={
                "x": 2 + index * width,
                "y": y,
                "width": width,
                "depth": depth,
                "size_m2": width * depth,
                "price_band": "A" if index < 3 else "B",
            },
        )


def _assign(booth, *, exhibitor=None, delegation=None):
    Booth.objects.filter(pk=booth.pk).update(
        state=Booth.State.ASSIGNED, exhibitor=exhibitor, delegation=delegation
    )


def seed(demo) -> None:
    halls = _halls(demo)
    _pavilions(demo, halls)
    for row in EXHIBITORS:
        _exhibitor(demo, halls, *row)
    _applications(demo, halls)
    _negotiations(demo, demo.editions[20])


def _halls(demo) -> dict:
    """The halls of both editions, each with two rows of twelve booths."""
    halls = {}
    for number, rows in HALLS.items():
        edition = demo.editions[number]
        for code, name_en, name_zh, area, width, height in rows:
            hall, _ = Hall.objects.update_or_create(
                edition=edition,
                code=code,
                defaults={
                    "name_en": name_en,
                    "name_zh": name_zh,
                    "area_m2": area,
                    "plan_width": width,
                    "plan_height": height,
                },
            )
            halls[(number, code)] = hall
            _booth_row(hall, f"{code}-", 101, 12, y=2)
            _booth_row(hall, f"{code}-", 201, 12, y=10)
    return halls


def _pavilions(demo, halls: dict) -> None:
    """Delegation pavilions: Jiangsu at both editions, in the provinces' hall."""
    for number, hall_code in ((17, "11"), (20, "B")):
        hall = halls[(number, hall_code)]
        pavilion, _ = Booth.objects.get_or_create(
            hall=hall,
            code=f"{hall_code}-P1",
            defaults={
                "kind": Booth.Kind.PAVILION,
                "x": 2,
                "y": 20,
                "width": 24,
                "depth": 12,
                "size_m2": 288,
                "price_band": "A",
            },
        )
        delegation = demo.delegations[(number, "jiangsu")]
        if pavilion.state != Booth.State.ASSIGNED:
            _assign(pavilion, delegation=delegation)
        placed, created = Exhibitor.objects.get_or_create(
            edition=demo.editions[number],
            organisation=demo.organisations["jiangsu-talent"],
            defaults={
                "pavilion": pavilion,
                "delegation": delegation,
                "description_en": "Introducing foreign experts to Jiangsu's enterprises.",
                "description_zh": "为江苏企业引进外国专家。",
            },
        )
        if created:
            placed.fields.set(demo.organisations["jiangsu-talent"].fields.all())


def _exhibitor(demo, halls, number, key, hall_code, code, text_en, text_zh, _colour) -> None:
    """An exhibitor with its images at its booth, and its products."""
    organisation = demo.organisations[key]
    exhibitor, created = Exhibitor.objects.get_or_create(
        edition=demo.editions[number],
        organisation=organisation,
        defaults={
            "description_en": text_en,
            "description_zh": text_zh,
            "contact_name": organisation.name_en,
            "contact_email": f"{key}@exhibitors.ciep.example",
            "video_url": "https://video.ciep.example/" + key,
        },
    )
    if created:
        exhibitor.fields.set(organisation.fields.all())
    if not exhibitor.logo:
        exhibitor.logo.save("logo.png", as_file(logo(organisation.name_en, organisation.name_zh)))
    if not exhibitor.banner:
        picture = banner(organisation.name_en, organisation.name_zh)
        exhibitor.banner.save("banner.png", as_file(picture))
    booth = Booth.objects.get(hall=halls[(number, hall_code)], code=code)
    if booth.state != Booth.State.ASSIGNED:
        _assign(booth, exhibitor=exhibitor)
    for name_en, name_zh, summary_en, summary_zh in PRODUCTS.get(key, []):
        product, created = Product.objects.get_or_create(
            exhibitor=exhibitor,
            name_en=name_en,
            defaults={"name_zh": name_zh, "summary_en": summary_en, "summary_zh": summary_zh},
        )
        if created:
            product.image.save("product.png", as_file(product_photo(name_en)))
    _gallery(exhibitor)


GALLERY = [
    ("Our stand at the conference", "大会展位", "stand"),
    ("The laboratory", "实验室", "laboratory"),
    ("Meeting partners", "洽谈合作伙伴", "meeting"),
]


def _gallery(exhibitor) -> None:
    """Three pictures of the exhibitor's showroom, drawn from its name."""
    name = exhibitor.organisation.name_en
    for order, (caption_en, caption_zh, subject) in enumerate(GALLERY):
        image, created = GalleryImage.objects.get_or_create(
            exhibitor=exhibitor,
            caption_en=caption_en,
            defaults={"caption_zh": caption_zh, "order": order},
        )
        if created or not image.image:
            picture = product_photo(f"{name} {subject}", size=(1200, 900))
            image.image.save("gallery.png", as_file(picture))


def _applications(demo, halls: dict) -> None:
    """Applications at the current edition: one waiting with a reserved booth, one pavilion,
    and the approved ones of the exhibitors at booths."""
    organiser, current = demo.users["organiser"], demo.editions[20]
    vtc = demo.organisations["vtc"]
    reserved = Booth.objects.get(hall=halls[(20, "B")], code="B-102")
    application, created = Application.objects.get_or_create(
        edition=current,
        organisation=vtc,
        defaults={
            "applied_by": organiser,
            "hall": reserved.hall,
            "booth": reserved,
            "size_m2": reserved.size_m2,
            "description_en": vtc.description_en,
            "description_zh": vtc.description_zh,
        },
    )
    if created:
        Booth.objects.filter(pk=reserved.pk).update(state=Booth.State.RESERVED)
        application.fields.set(vtc.fields.all())
    Application.objects.get_or_create(
        edition=current,
        delegation=demo.delegations[(20, "hebei")],
        defaults={
            "applied_by": demo.users["delegate"],
            "booth_kind": Booth.Kind.PAVILION,
            "size_m2": 200,
            "hall": halls[(20, "B")],
            "description_en": "Hebei's 'Talent SHOW' pavilion.",
            "description_zh": "河北“人才秀”展馆。",
        },
    )
    for key in ("szu", "helsinki-5g", "tel-aviv-bio", "pitch"):
        exhibitor = Exhibitor.objects.get(edition=current, organisation=demo.organisations[key])
        if exhibitor.application_id is None:
            approved, _ = Application.objects.get_or_create(
                edition=current,
                organisation=exhibitor.organisation,
                state=Application.State.APPROVED,
                defaults={
                    "applied_by": organiser,
                    "description_en": exhibitor.description_en,
                    "description_zh": exhibitor.description_zh,
                    "decided_by": organiser,
                    "decided_at": timezone.now(),
                },
            )
            Exhibitor.objects.filter(pk=exhibitor.pk).update(application=approved)


# The languages the demo's people and booth staff speak: the visitor and Shenzhen University's
# staff share none (the meeting is flagged, and an interpreter of the pool can be assigned).
DEMO_LANGUAGES = {"expert": "en,zh", "visitor": "en", "representative": "zh"}
DEMO_STAFF_LANGUAGES = {"szu": "zh", "helsinki-5g": "en,de"}
DEMO_INTERPRETERS = (
    ("Wang Fang", "wang.fang@interpreters.example", "en,zh", "zh"),
    ("Mikko Lin", "mikko.lin@interpreters.example", "en,de,zh", "en"),
)


def _negotiations(demo, edition) -> None:
    """Slots over the next days for two exhibitors, meetings in several states, yesterday's
    meetings with and without an outcome, and the organisers' pool of interpreters."""
    china = timezone.get_default_timezone()
    for name, email, languages, language in DEMO_INTERPRETERS:
        Interpreter.objects.get_or_create(
            name=name,
            defaults={"email": email, "languages": languages, "preferred_language": language},
        )
    for key in ("szu", "helsinki-5g"):
        exhibitor = Exhibitor.objects.get(edition=edition, organisation=demo.organisations[key])
        if not exhibitor.languages:
            exhibitor.languages = DEMO_STAFF_LANGUAGES[key]
            exhibitor.save(update_fields=["languages"])
        if exhibitor.slots.filter(starts_at__gt=timezone.now()).exists():
            continue
        yesterday = timezone.localdate() - timedelta(days=1)
        for hour, person, outcome in ((10, "expert", "follow_up"), (14, "representative", "")):
            # An hour later at the second exhibitor: one person, one meeting at a time.
            hour += 1 if key == "helsinki-5g" else 0
            starts_at = datetime.combine(yesterday, time(hour), china)
            slot, _ = Slot.objects.get_or_create(
                exhibitor=exhibitor,
                starts_at=starts_at,
                defaults={"duration_minutes": 30, "mode": Slot.Mode.ON_SITE},
            )
            Meeting.objects.get_or_create(
                slot=slot,
                requester=demo.users[person],
                defaults={
                    "starts_at": slot.starts_at,
                    "ends_at": slot.ends_at,
                    "languages": DEMO_LANGUAGES[person],
                    "state": Meeting.State.ACCEPTED,
                    "outcome": outcome,
                    "outcome_recorded_at": slot.ends_at if outcome else None,
                },
            )
        first_day = timezone.localdate() + timedelta(days=2)
        for day in range(3):
            for hour in (10, 14, 16):
                starts_at = datetime.combine(first_day + timedelta(days=day), time(hour), china)
                Slot.objects.get_or_create(
                    exhibitor=exhibitor,
                    starts_at=starts_at,
                    defaults={
                        "duration_minutes": 30,
                        "mode": Slot.Mode.ONLINE,
                        "meeting_link": f"https://meet.ciep.example/{key}-{day}-{hour}",
                    },
                )
        slots = list(exhibitor.slots.filter(starts_at__gt=timezone.now()).order_by("starts_at"))
        plans = [
            (slots[0], "expert", Meeting.State.ACCEPTED, ""),
            (slots[1], "visitor", Meeting.State.REQUESTED, ""),
            (slots[4], "representative", Meeting.State.DECLINED, "Fully booked."),
        ]
        for slot, person, state, note in plans:
            if key == "helsinki-5g":
                # Different hours for the same people at the second exhibitor.
                slot = slots[slots.index(slot) + 2]
            Meeting.objects.get_or_create(
                slot=slot,
                requester=demo.users[person],
                defaults={
                    "starts_at": slot.starts_at,
                    "ends_at": slot.ends_at,
                    "languages": DEMO_LANGUAGES[person],
                    "message": "We would like to discuss cooperation.",
                    "state": state,
                    "note": note,
                    "hold_until": (
                        min(timezone.now() + timedelta(hours=48), slot.starts_at)
                        if state == Meeting.State.REQUESTED
                        else None
                    ),
                },
            )
        exhibitor.page_views = max(exhibitor.page_views, 120)
        exhibitor.save(update_fields=["page_views"])
