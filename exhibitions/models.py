"""The Virtual Exhibition Hall: halls, booths, exhibitor applications, exhibitors, their virtual
booths, and exhibition negotiations (slots and meetings)."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ciep.bilingual import Bilingual, matching
from ciep.models import (
    INTERFACE_LANGUAGES,
    Delegation,
    Edition,
    Field,
    Language,
    Organisation,
    TimeStamped,
)
from ciep.uploads import CheckedImageField, PdfField, ThumbnailField

# --- Negotiation languages -----------------------------------------------------------------


# How people wrote languages as free text before they were a choice (lower case), for each
# code of ``ciep.models.Language`` in its order. Negotiation languages are stored as
# comma-separated codes (``"en,zh"``).
LANGUAGE_NAMES = {
    "en": ("en", "english", "英语", "英文"),
    "zh": ("zh", "chinese", "mandarin", "cantonese", "中文", "汉语", "普通话", "粤语"),
    "ja": ("ja", "japanese", "日本語", "日语"),
    "ko": ("ko", "korean", "한국어", "韩语"),
    "ru": ("ru", "russian", "русский", "俄语"),
    "de": ("de", "german", "deutsch", "德语"),
    "fr": ("fr", "french", "français", "法语"),
    "es": ("es", "spanish", "español", "西班牙语"),
    "pt": ("pt", "portuguese", "português", "葡萄牙语"),
    "ar": ("ar", "arabic", "العربية", "阿拉伯语"),
    "it": ("it", "italian", "italiano", "意大利语"),
    "he": ("he", "hebrew", "עברית", "希伯来语"),
    "fi": ("fi", "finnish", "suomi", "芬兰语"),
}


def language_codes(text: str) -> list[str]:
    """The codes in ``text``: stored codes, or languages written out in a list ("English, 中文");
    in the order of ``Language``, without repeats."""
    words = {word.strip().lower() for word in text.replace("，", ",").replace("、", ",").split(",")}
    return [code for code, names in LANGUAGE_NAMES.items() if words & set(names)]


def languages_apart(one: str, other: str) -> bool:
    """Both sides said what they speak (stored codes or written lists) and share nothing."""
    ours, theirs = set(language_codes(one)), set(language_codes(other))
    return bool(ours and theirs and not ours & theirs)


def language_labels(codes: str) -> str:
    labels = dict(Language.choices)
    return ", ".join(str(labels[code]) for code in language_codes(codes))


# --- Halls and booths -----------------------------------------------------------------------


class HallQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)


class Hall(TimeStamped):
    """An exhibition hall of one edition, with a plan measured in metres."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="halls", verbose_name=_("edition")
    )
    code = models.CharField(_("code"), max_length=10, help_text=_("A short code, e.g. “A”."))
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    area_m2 = models.PositiveIntegerField(_("area (m²)"), default=0)
    plan_width = models.PositiveSmallIntegerField(
        _("plan width (m)"), default=100, validators=[MinValueValidator(10)]
    )
    plan_height = models.PositiveSmallIntegerField(
        _("plan height (m)"), default=60, validators=[MinValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    name = Bilingual()

    objects = HallQuerySet.as_manager()

    class Meta:
        verbose_name = _("hall")
        verbose_name_plural = _("halls")
        ordering = ["edition", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="hall_unique_code"),
        ]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def get_absolute_url(self):
        return reverse("exhibitions:hall_detail", args=[self.pk])


class BoothQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(hall__edition=edition)

    def available(self):
        return self.filter(state=Booth.State.AVAILABLE)


class Booth(TimeStamped):
    """A space in a hall: a shell-scheme booth, raw space, or a delegation's pavilion.

    A booth is assigned to one exhibitor (a one-to-one column, so the database refuses a second)
    or, for a pavilion, to one delegation; the state says which, and a check constraint keeps
    the state and the assignment consistent.
    """

    pages_edition = "hall__edition"

    class Kind(models.TextChoices):
        STANDARD = "standard", _("Standard shell scheme")
        RAW = "raw", _("Raw space")
        PAVILION = "pavilion", _("Pavilion")

    class PriceBand(models.TextChoices):
        A = "A", _("Band A (premium)")
        B = "B", _("Band B")
        C = "C", _("Band C")

    class State(models.TextChoices):
        AVAILABLE = "available", _("Available")
        RESERVED = "reserved", _("Reserved")
        ASSIGNED = "assigned", _("Assigned")

    hall = models.ForeignKey(
        Hall, on_delete=models.CASCADE, related_name="booths", verbose_name=_("hall")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("For example “A-101”."))
    size_m2 = models.PositiveSmallIntegerField(
        _("size (m²)"), default=9, validators=[MinValueValidator(1)]
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STANDARD)
    price_band = models.CharField(
        _("price band"), max_length=1, choices=PriceBand.choices, default=PriceBand.B
    )
    x = models.PositiveSmallIntegerField(_("position from the left (m)"), default=0)
    y = models.PositiveSmallIntegerField(_("position from the top (m)"), default=0)
    width = models.PositiveSmallIntegerField(
        _("width on the plan (m)"), default=3, validators=[MinValueValidator(1)]
    )
    depth = models.PositiveSmallIntegerField(
        _("depth on the plan (m)"), default=3, validators=[MinValueValidator(1)]
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.AVAILABLE, db_index=True
    )
    exhibitor = models.OneToOneField(
        "Exhibitor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booth",
        verbose_name=_("exhibitor"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pavilions",
        verbose_name=_("delegation (pavilion)"),
    )

    objects = BoothQuerySet.as_manager()

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        ordering = ["hall", "code"]
        constraints = [
            models.UniqueConstraint(fields=["hall", "code"], name="booth_unique_code"),
            models.CheckConstraint(
                condition=(
                    Q(state="assigned", exhibitor__isnull=False, delegation__isnull=True)
                    | Q(state="assigned", exhibitor__isnull=True, delegation__isnull=False)
                    | Q(state__in=["available", "reserved"], exhibitor__isnull=True)
                    & Q(delegation__isnull=True)
                ),
                name="booth_state_matches_assignment",
            ),
            models.CheckConstraint(
                condition=Q(delegation__isnull=True) | Q(kind="pavilion"),
                name="booth_only_pavilions_for_delegations",
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def centre(self) -> tuple[float, float]:
        return self.x + self.width / 2, self.y + self.depth / 2


# --- Applications ---------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications of the organisations the user administers or the delegations they head."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(organisation__in=Organisation.objects.managed_by(user))
            | Q(delegation__in=Delegation.objects.headed_by(user))
        )

    def open(self):
        return self.filter(state__in=Application.OPEN_STATES)


class Application(TimeStamped):
    """An organisation's (or a delegation's, for a pavilion) request to exhibit at an edition."""

    shown_on_pages = False

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted, awaiting a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STATES = ("submitted", "approved")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="+", verbose_name=_("edition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exhibition_applications",
        verbose_name=_("organisation"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="exhibition_applications",
        verbose_name=_("delegation (pavilion)"),
    )
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("applied by"),
    )
    hall = models.ForeignKey(
        Hall,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("hall wanted"),
    )
    booth_kind = models.CharField(
        _("booth kind wanted"), max_length=10, choices=Booth.Kind.choices, default="standard"
    )
    size_m2 = models.PositiveSmallIntegerField(
        _("size wanted (m²)"), default=9, validators=[MinValueValidator(1), MaxValueValidator(5000)]
    )
    booth = models.ForeignKey(
        Booth,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("booth picked on the floor plan"),
    )
    fields = models.ManyToManyField(Field, blank=True, related_name="+", verbose_name=_("fields"))
    description_en = models.TextField(_("profile (English)"), blank=True)
    description_zh = models.TextField(_("profile (Chinese)"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    decision_note = models.TextField(
        _("reason"), blank=True, help_text=_("The applicant sees this with the decision.")
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    description = Bilingual()

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor application")
        verbose_name_plural = _("exhibitor applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False, delegation__isnull=True)
                | Q(organisation__isnull=True, delegation__isnull=False),
                name="application_one_applicant",
            ),
            models.UniqueConstraint(
                fields=["edition", "organisation"],
                condition=Q(state__in=["submitted", "approved"]),
                name="application_one_open_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["edition", "delegation"],
                condition=Q(state__in=["submitted", "approved"]),
                name="application_one_open_per_delegation",
            ),
            models.UniqueConstraint(
                fields=["booth"],
                condition=Q(state="submitted"),
                name="application_one_pending_per_booth",
            ),
        ]

    def __str__(self):
        return f"{self.applicant} → {self.edition}"

    @property
    def applicant(self):
        return self.organisation or self.delegation

    def get_absolute_url(self):
        return reverse("exhibitions:application_detail", args=[self.pk])


# --- Exhibitors and their virtual booths ----------------------------------------------------


class ExhibitorQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def search(self, query: str):
        """Exhibitors whose name, profile, products or fields hold ``query`` (in either
        language); each table is searched in its own subquery, on its own index."""
        if not query:
            return self
        return self.filter(
            matching(self.model, query, "description")
            | matching(Organisation, query, "name", path="organisation")
            | matching(Product, query, "name", "summary", via="exhibitor")
            | matching(
                Exhibitor.fields.through,
                query,
                "field__name",
                via="exhibitor",
            )
        )

    def in_hall(self, hall):
        return self.filter(Q(booth__hall=hall) | Q(pavilion__hall=hall))

    def staffed_by(self, user):
        """Exhibitors whose organisation the user belongs to (admin or staff)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user).distinct()


class Exhibitor(TimeStamped):
    """An organisation exhibiting at an edition: its virtual booth."""

    pages_object = ("exhibitions.exhibitor", "pk")
    fields_not_on_pages = frozenset({"page_views"})

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="exhibitors", verbose_name=_("edition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="exhibitors",
        verbose_name=_("organisation"),
    )
    application = models.OneToOneField(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exhibitor",
        verbose_name=_("application"),
    )
    pavilion = models.ForeignKey(
        Booth,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pavilion_exhibitors",
        limit_choices_to={"kind": "pavilion"},
        verbose_name=_("placed in the pavilion"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exhibitors",
        verbose_name=_("exhibits with the delegation"),
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    logo = CheckedImageField(_("logo"), folder="exhibitors/logos", max_size=(512, 512), blank=True)
    # Shown at 48 × 48 in the catalogue's cards (twice that for sharp screens).
    logo_thumbnail = ThumbnailField(_("logo thumbnail"), source="logo", size=(96, 96), crop=False)
    banner = CheckedImageField(
        _("banner"), folder="exhibitors/banners", max_size=(1600, 400), blank=True
    )
    # The banner across a phone's screen or a column; the original for wide screens.
    banner_thumbnail = ThumbnailField(
        _("banner thumbnail"), source="banner", size=(800, 200), crop=True
    )
    video_url = models.URLField(_("video link"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    fields = models.ManyToManyField(
        Field, blank=True, related_name="exhibitors", verbose_name=_("fields")
    )
    page_views = models.PositiveIntegerField(_("page views"), default=0, editable=False)
    languages = models.CharField(
        _("languages the booth's staff speak"), max_length=100, blank=True, default=""
    )

    description = Bilingual()

    objects = ExhibitorQuerySet.as_manager()

    class Meta:
        verbose_name = _("exhibitor")
        verbose_name_plural = _("exhibitors")
        ordering = ["organisation__name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "organisation"], name="exhibitor_once_per_edition"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.edition.number})"

    def get_absolute_url(self):
        return reverse("exhibitions:exhibitor_detail", args=[self.pk])

    @property
    def location(self) -> Booth | None:
        """The booth, or the pavilion the exhibitor is placed in."""
        try:
            return self.booth
        except Booth.DoesNotExist:
            return self.pavilion


class GalleryImage(TimeStamped):
    pages_edition = "exhibitor__edition"
    pages_object = ("exhibitions.exhibitor", "exhibitor")
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="gallery", verbose_name=_("exhibitor")
    )
    image = CheckedImageField(_("image"), folder="exhibitors/gallery", max_size=(1600, 1200))
    image_thumbnail = ThumbnailField(_("thumbnail"), source="image", size=(480, 360))
    caption_en = models.CharField(_("caption (English)"), max_length=200, blank=True)
    caption_zh = models.CharField(_("caption (Chinese)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    caption = Bilingual()

    class Meta:
        verbose_name = _("gallery image")
        verbose_name_plural = _("gallery images")
        ordering = ["exhibitor", "order", "id"]

    def __str__(self):
        return self.caption or f"#{self.pk}"


class Product(TimeStamped):
    """A product or technology on show at a booth."""

    pages_edition = "exhibitor__edition"
    pages_object = ("exhibitions.exhibitor", "exhibitor")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="products", verbose_name=_("exhibitor")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("short text (English)"), max_length=1000, blank=True)
    summary_zh = models.TextField(_("short text (Chinese)"), max_length=1000, blank=True)
    image = CheckedImageField(
        _("image"), folder="exhibitors/products", max_size=(1200, 900), blank=True
    )
    image_thumbnail = ThumbnailField(_("thumbnail"), source="image", size=(600, 450))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    name = Bilingual()
    summary = Bilingual()

    class Meta:
        verbose_name = _("product or technology")
        verbose_name_plural = _("products and technologies")
        ordering = ["exhibitor", "order", "name_en"]

    def __str__(self):
        return self.name


class Brochure(TimeStamped):
    pages_edition = "exhibitor__edition"
    pages_object = ("exhibitions.exhibitor", "exhibitor")
    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="brochures", verbose_name=_("exhibitor")
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    file = PdfField(_("brochure (PDF)"), folder="exhibitors/brochures")

    title = Bilingual()

    class Meta:
        verbose_name = _("brochure")
        verbose_name_plural = _("brochures")
        ordering = ["exhibitor", "title_en"]

    def __str__(self):
        return self.title


# --- Exhibition negotiations ----------------------------------------------------------------


class Slot(TimeStamped):
    """A time an exhibitor offers for a negotiation, at the booth or online."""

    pages_edition = "exhibitor__edition"
    pages_object = ("exhibitions.exhibitor", "exhibitor")

    class Mode(models.TextChoices):
        ON_SITE = "on_site", _("On site, at the booth")
        ONLINE = "online", _("Online")

    exhibitor = models.ForeignKey(
        Exhibitor, on_delete=models.CASCADE, related_name="slots", verbose_name=_("exhibitor")
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"),
        default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    mode = models.CharField(_("where"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    meeting_link = models.URLField(_("meeting link"), blank=True)

    class Meta:
        verbose_name = _("negotiation slot")
        verbose_name_plural = _("negotiation slots")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["exhibitor", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=Q(mode="on_site") | ~Q(meeting_link=""),
                name="slot_online_needs_link",
            ),
        ]

    def __str__(self):
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} ({self.duration_minutes} min)"

    @property
    def ends_at(self):
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class MeetingQuerySet(models.QuerySet):
    def active(self):
        """Meetings that hold their slot: accepted ones and live (unexpired) requests."""
        now = timezone.now()
        return self.filter(
            Q(state=Meeting.State.ACCEPTED)
            | Q(state__in=Meeting.HOLDING_STATES, hold_until__gt=now)
        )

    def involving(self, user):
        """Meetings the user requested or whose exhibitor the user staffs."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(requester=user) | Q(slot__exhibitor__organisation__memberships__user=user)
        ).distinct()


class Meeting(TimeStamped):
    """A negotiation between a visitor, expert or delegation representative and an exhibitor.

    A request (or a proposal of another time by the exhibitor) holds its slot until
    ``hold_until``; after that it lapses. At most one live meeting per slot, and one per person
    per start time, are enforced by unique constraints; overlaps of different lengths are
    refused under a row lock on the person.
    """

    # The booth page shows which of its slots are taken; no page shows a meeting.
    shown_on_pages = False
    pages_counted = ("exhibitions.exhibitor", "slot__exhibitor")
    fields_on_pages = frozenset({"slot", "state"})

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        PROPOSED = "proposed", _("Another time proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        CANCELLED = "cancelled", _("Cancelled")
        LAPSED = "lapsed", _("Lapsed")

    class Outcome(models.TextChoices):
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        FOLLOW_UP = "follow_up", _("Held, with a follow-up agreed")

    HOLDING_STATES = ("requested", "proposed")
    LIVE_STATES = ("requested", "proposed", "accepted")

    slot = models.ForeignKey(
        Slot, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("slot")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="exhibition_meetings",
        verbose_name=_("requested by"),
    )
    starts_at = models.DateTimeField(_("starts at"), editable=False)
    ends_at = models.DateTimeField(_("ends at"), editable=False)
    message = models.TextField(_("message"), max_length=2000, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200)
    interpreter_requested = models.BooleanField(_("interpreter requested"), default=False)
    interpreter = models.ForeignKey(
        "Interpreter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("interpreter"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.REQUESTED, db_index=True
    )
    hold_until = models.DateTimeField(_("held until"), null=True, blank=True)
    note = models.TextField(_("note from the exhibitor"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, db_index=True
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(state__in=["requested", "proposed", "accepted"]),
                name="meeting_one_live_per_slot",
            ),
            models.UniqueConstraint(
                fields=["requester", "starts_at"],
                condition=Q(state__in=["requested", "proposed", "accepted"]),
                name="meeting_one_live_per_person_and_time",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(state="accepted"),
                name="meeting_outcome_only_when_accepted",
            ),
        ]

    def __str__(self):
        return f"{self.requester} – {self.slot.exhibitor.organisation} ({self.slot})"

    def get_absolute_url(self):
        return reverse("exhibitions:meeting_detail", args=[self.pk])

    @property
    def calendar_status(self) -> str:
        """As a calendar says it: accepted is ``CONFIRMED``, a live request ``TENTATIVE``, and
        a declined, cancelled or lapsed one ``CANCELLED``."""
        if self.state == self.State.ACCEPTED:
            return "CONFIRMED"
        return (
            "CANCELLED" if self.is_lapsed or self.state not in self.HOLDING_STATES else "TENTATIVE"
        )

    @property
    def requester_languages(self) -> str:
        return language_labels(self.languages)

    @property
    def shared_languages(self) -> list[str]:
        theirs = set(language_codes(self.slot.exhibitor.languages))
        return [code for code in language_codes(self.languages) if code in theirs]

    @property
    def language_mismatch(self) -> bool:
        """Both sides said what they speak, and they share no language."""
        return languages_apart(self.languages, self.slot.exhibitor.languages)

    @property
    def outcome_due(self) -> bool:
        """The slot has begun and the meeting was accepted: the exhibitor can say how it went."""
        return self.state == self.State.ACCEPTED and self.starts_at <= timezone.now()

    @property
    def is_lapsed(self) -> bool:
        return self.state == self.State.LAPSED or (
            self.state in self.HOLDING_STATES
            and self.hold_until is not None
            and self.hold_until <= timezone.now()
        )


class Interpreter(TimeStamped):
    """An interpreter of the organisers' pool, assigned to negotiation meetings. Their calendar
    is the meetings they are assigned to: ``interpreter_assign`` never books one for two
    overlapping live meetings (under a lock on the interpreter's row)."""

    shown_on_pages = False

    name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    languages = models.CharField(_("languages"), max_length=100)
    preferred_language = models.CharField(
        _("language of their mail"),
        max_length=10,
        choices=INTERFACE_LANGUAGES,
        default=Language.ENGLISH,
    )
    is_active = models.BooleanField(_("available for assignments"), default=True)

    class Meta:
        verbose_name = _("interpreter")
        verbose_name_plural = _("interpreters")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({language_labels(self.languages)})"

    @property
    def language_list(self) -> str:
        return language_labels(self.languages)
