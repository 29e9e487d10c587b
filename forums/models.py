"""The Shenzhen Forum and theme activities: sections, venues, sessions, speakers, registrations."""

import secrets
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from ciep.bilingual import Bilingual, matching
from ciep.models import Delegation, Edition, Field, Format, Language, Organisation, TimeStamped
from ciep.uploads import CheckedImageField, ThumbnailField

CHINA_TIME_ZONE = "Asia/Shanghai"
TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Section(TimeStamped):
    """A part of an edition's programme: Opening Ceremony, Shenzhen Forum, Pitch@Palace, ..."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="forum_sections", verbose_name=_("edition")
    )
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    name = Bilingual()

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["edition", "order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name_en"], name="forum_section_unique")
        ]

    def __str__(self):
        return self.name


class Venue(TimeStamped):
    """Where sessions happen: a room of the main venue, a sub-venue in a city, or online."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Room of the main venue")
        DOMESTIC = "domestic", _("Domestic sub-venue")
        FOREIGN = "foreign", _("Foreign sub-venue")
        ONLINE = "online", _("Online platform")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="forum_venues", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.ROOM)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=100, blank=True)
    country = CountryField(_("country or region"), default="CN")
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=CHINA_TIME_ZONE
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    name = Bilingual()
    city = Bilingual()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["edition", "order", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name_en"], name="forum_venue_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def is_outside_china_time(self) -> bool:
        return self.time_zone != CHINA_TIME_ZONE

    @property
    def is_sub_venue(self) -> bool:
        return self.kind in SUB_VENUE_KINDS


SUB_VENUE_KINDS = (Venue.Kind.DOMESTIC, Venue.Kind.FOREIGN)


class Speaker(TimeStamped):
    """A person who speaks; linked to an account, they edit their own profile."""

    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    affiliation_en = models.CharField(_("affiliation (English)"), max_length=200, blank=True)
    affiliation_zh = models.CharField(_("affiliation (Chinese)"), max_length=200, blank=True)
    country = CountryField(_("country or region"), blank=True)
    photo = CheckedImageField(_("photo"), folder="speakers", max_size=(600, 600), blank=True)
    # Shown at 160 × 160 on the speaker's page (twice that for sharp screens).
    photo_thumbnail = ThumbnailField(_("photo thumbnail"), source="photo", size=(320, 320))
    biography_en = models.TextField(_("biography (English)"), blank=True)
    biography_zh = models.TextField(_("biography (Chinese)"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="speaker_profile",
        verbose_name=_("account"),
        help_text=_("The speaker's account, with which they edit this profile."),
    )

    name = Bilingual()
    title = Bilingual()
    affiliation = Bilingual()
    biography = Bilingual()

    class Meta:
        verbose_name = _("speaker")
        verbose_name_plural = _("speakers")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:speaker_detail", args=[self.pk])


class SessionQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def scheduled(self):
        return self.filter(status=Session.Status.SCHEDULED)

    def search(self, query: str):
        if not query:
            return self
        return self.filter(
            matching(self.model, query, "title", "abstract")
            | Q(
                pk__in=SessionSpeaker.objects.filter(
                    matching(Speaker, query, "name", path="speaker")
                ).values("session")
            )
        )

    def overlapping(self, start: datetime, end: datetime):
        return self.filter(start__lt=end, end__gt=start)


class Session(TimeStamped):
    """One event of the programme: a ceremony, a forum, a conference, a theme activity, ..."""

    pages_object = ("forums.session", "pk")
    fields_not_on_pages = frozenset({"live_views", "replay_views"})

    class Kind(models.TextChoices):
        CEREMONY = "ceremony", _("Ceremony")
        FORUM = "forum", pgettext_lazy("session type", "Forum")
        CONFERENCE = "conference", _("Conference")
        THEME_ACTIVITY = "theme_activity", _("Theme activity")
        MATCHMAKING = "matchmaking", _("Matchmaking fair")
        COMPETITION = "competition", _("Competition")

    # A session is held in Chinese, in English, or in both (with interpretation).
    BOTH_LANGUAGES = f"{Language.CHINESE}_{Language.ENGLISH}"
    LANGUAGES = [
        (Language.CHINESE.value, Language.CHINESE.label),
        (Language.ENGLISH.value, Language.ENGLISH.label),
        (BOTH_LANGUAGES, _("Chinese and English")),
    ]

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="forum_sessions", verbose_name=_("edition")
    )
    # RESTRICT rather than PROTECT: a section or venue with sessions cannot be deleted alone,
    # but deleting the edition takes its sessions, sections and venues together.
    section = models.ForeignKey(
        Section, on_delete=models.RESTRICT, related_name="sessions", verbose_name=_("section")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.FORUM)
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300, blank=True)
    abstract_en = models.TextField(_("abstract (English)"), blank=True)
    abstract_zh = models.TextField(_("abstract (Chinese)"), blank=True)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    venue = models.ForeignKey(
        Venue, on_delete=models.RESTRICT, related_name="sessions", verbose_name=_("venue")
    )
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.OFFLINE
    )
    language = models.CharField(
        _("language"), max_length=10, choices=LANGUAGES, default=BOTH_LANGUAGES
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_(
            "Seats for registered people; empty for unlimited. Online attendance of a hybrid "
            "session is unlimited."
        ),
    )
    fields = models.ManyToManyField(
        Field, blank=True, related_name="forum_sessions", verbose_name=_("fields")
    )
    organising_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_sessions",
        verbose_name=_("organising organisation"),
    )
    organising_delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_sessions",
        verbose_name=_("organising delegation"),
    )
    speakers = models.ManyToManyField(
        Speaker,
        through="SessionSpeaker",
        blank=True,
        related_name="sessions",
        verbose_name=_("speakers"),
    )
    guest_country = CountryField(
        _("guest country"),
        blank=True,
        db_index=True,
        help_text=_(
            "The guest-of-honour or observer country whose event this is: the session is "
            "listed among the country's events on its page."
        ),
    )
    stream_url = models.URLField(_("live-stream link"), blank=True)
    replay_url = models.URLField(_("replay link"), blank=True)
    live_views = models.PositiveIntegerField(_("live views"), default=0, editable=False)
    replay_views = models.PositiveIntegerField(_("replay views"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )

    title = Bilingual()
    abstract = Bilingual()

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("forum", "session")
        verbose_name_plural = pgettext_lazy("forum", "sessions")
        ordering = ["start", "venue__order", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="forum_session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="forum_session_capacity_not_negative",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:session_detail", args=[self.pk])

    def clean(self):
        super().clean()
        errors = {}
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The session must end after it starts.")
        if self.edition_id and self.section_id and self.section.edition_id != self.edition_id:
            errors["section"] = _("Choose a section of the session's edition.")
        if self.edition_id and self.venue_id and self.venue.edition_id != self.edition_id:
            errors["venue"] = _("Choose a venue of the session's edition.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def is_registration_open(self, now: datetime | None = None) -> bool:
        return not self.is_cancelled and (now or timezone.now()) < self.start

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end

    def is_over(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.end

    @property
    def offers_online(self) -> bool:
        return self.format in (Format.ONLINE, Format.HYBRID)

    @property
    def offers_on_site(self) -> bool:
        return self.format in (Format.OFFLINE, Format.HYBRID)

    @property
    def is_full(self) -> bool:
        """Whether no seat counted against the capacity is left, for a session read with
        ``selectors.with_seat_counts`` (False for one read without it)."""
        taken = getattr(self, "seats_taken", None)
        return self.capacity is not None and taken is not None and taken >= self.capacity

    def default_attendance(self) -> str:
        return Attendance.ONLINE if self.format == Format.ONLINE else Attendance.ON_SITE

    def limits(self, attendance: str) -> bool:
        """Whether ``attendance`` counts against the capacity (online for a hybrid does not)."""
        if self.capacity is None:
            return False
        return not (self.format == Format.HYBRID and attendance == Attendance.ONLINE)


class SessionSpeaker(models.Model):
    pages_edition = "session__edition"
    pages_object = ("forums.session", "session")

    class Role(models.TextChoices):
        KEYNOTE = "keynote", _("Keynote speaker")
        SPEAKER = "speaker", _("Speaker")
        MODERATOR = "moderator", _("Moderator")
        PANELLIST = "panellist", _("Panellist")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="speaker_roles",
        verbose_name=pgettext_lazy("forum", "session"),
    )
    speaker = models.ForeignKey(
        Speaker, on_delete=models.CASCADE, related_name="session_roles", verbose_name=_("speaker")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("session speaker")
        verbose_name_plural = _("session speakers")
        ordering = ["session", "order", "speaker__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["session", "speaker"], name="forum_session_speaker")
        ]

    def __str__(self):
        return f"{self.speaker} – {self.session}"


class Attendance(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")


def new_code() -> str:
    """A check-in code short enough to type from a printed ticket (10 hex characters)."""
    return secrets.token_hex(5).upper()


class RegistrationQuerySet(models.QuerySet):
    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting(self):
        return self.filter(status=Registration.Status.WAITING)

    def of_user(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(user=user)


class Registration(TimeStamped):
    """A person's place at a session: confirmed, on the waiting list, or cancelled."""

    # The session's page counts them (seats left, the waiting list); no page shows one.
    shown_on_pages = False
    pages_counted = ("forums.session", "session")
    fields_on_pages = frozenset({"session", "status"})

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=pgettext_lazy("forum", "session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_registrations",
        verbose_name=_("person"),
    )
    attendance = models.CharField(
        pgettext_lazy("how a person attends", "attendance"),
        max_length=10,
        choices=Attendance.choices,
        default=Attendance.ON_SITE,
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, db_index=True)
    code = models.CharField(_("check-in code"), max_length=16, unique=True, default=new_code)
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_registrations",
        verbose_name=_("registered with the delegation"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["session", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=~Q(status="cancelled"),
                name="forum_registration_once",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "attendance"])]

    def __str__(self):
        return f"{self.user} – {self.session} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("forums:registration_detail", args=[self.pk])


class DelegationQuota(TimeStamped):
    """How many members a delegation's head may register as a group for one session."""

    shown_on_pages = False

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="quotas",
        verbose_name=pgettext_lazy("forum", "session"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="forum_quotas",
        verbose_name=_("delegation"),
    )
    places = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(0)])

    class Meta:
        verbose_name = _("delegation quota")
        verbose_name_plural = _("delegation quotas")
        ordering = ["session", "delegation__name_en"]
        constraints = [
            models.UniqueConstraint(fields=["session", "delegation"], name="forum_quota_unique")
        ]

    def __str__(self):
        return f"{self.delegation} – {self.session}: {self.places}"


class Bookmark(models.Model):
    shown_on_pages = False
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_bookmarks",
        verbose_name=_("person"),
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="bookmarks",
        verbose_name=pgettext_lazy("forum", "session"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bookmark")
        verbose_name_plural = _("bookmarks")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "session"], name="forum_bookmark_once")
        ]

    def __str__(self):
        return f"{self.user} ★ {self.session}"


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(TimeStamped):
    """The private token of a person's subscribable agenda feed."""

    shown_on_pages = False

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_calendar_feed",
        verbose_name=_("person"),
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["user"]

    def __str__(self):
        return str(self.user)


class Feedback(TimeStamped):
    """A registered person's rating and comment after a session."""

    shown_on_pages = False

    session = models.ForeignKey(
        Session,
        on_delete=models.CASCADE,
        related_name="feedback",
        verbose_name=pgettext_lazy("forum", "session"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="forum_feedback",
        verbose_name=_("person"),
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="forum_feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5), name="forum_feedback_rating_range"
            ),
        ]

    def __str__(self):
        return f"{self.session}: {self.rating}/5"


class SubVenueEventQuerySet(models.QuerySet):
    def proposed_by_heads_of(self, user):
        """The events of the delegations ``user`` heads (none for anyone else)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(delegation__in=Delegation.objects.headed_by(user))

    def pending(self):
        return self.filter(state=SubVenueEvent.State.PENDING)


class SubVenueEvent(TimeStamped):
    """An event a delegation proposes to hold at a sub-venue of its own, at home or abroad.

    While pending, the delegation's head edits it; organisers approve it into the programme
    (which creates its ``session``, and its venue when the proposal names a new one) or refuse
    it with a reason. Times are stored aware; the head enters them in the venue's time zone.
    """

    # Only the delegation's head and organisers see a proposal; its session is on the pages.
    shown_on_pages = False

    class State(models.TextChoices):
        PENDING = "pending", _("Awaiting review")
        APPROVED = "approved", _("Approved into the programme")
        REFUSED = "refused", _("Refused")

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="forum_sub_venue_events",
        verbose_name=_("edition"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="forum_sub_venue_events",
        verbose_name=_("delegation"),
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="forum_sub_venue_events",
        verbose_name=_("proposed by"),
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.RESTRICT,
        related_name="sub_venue_events",
        verbose_name=_("section"),
    )
    kind = models.CharField(
        _("type"), max_length=20, choices=Session.Kind.choices, default=Session.Kind.THEME_ACTIVITY
    )
    title_en = models.CharField(_("title (English)"), max_length=300)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    venue = models.ForeignKey(
        Venue,
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="sub_venue_events",
        verbose_name=_("sub-venue"),
        help_text=_("One of the edition's sub-venues; leave empty to propose a new one."),
    )
    venue_name_en = models.CharField(_("new sub-venue (English)"), max_length=200, blank=True)
    venue_name_zh = models.CharField(_("new sub-venue (Chinese)"), max_length=200, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=100, blank=True)
    country = CountryField(_("country or region"), blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=CHINA_TIME_ZONE
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=Session.LANGUAGES,
        default=Session.BOTH_LANGUAGES,
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    refusal_reason = models.TextField(
        _("reason for refusal"),
        blank=True,
        help_text=_("Sent to the delegation's head when the proposal is refused."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    session = models.OneToOneField(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sub_venue_event",
        verbose_name=pgettext_lazy("forum", "session"),
    )

    title = Bilingual()
    description = Bilingual()
    venue_name = Bilingual()
    city = Bilingual()

    objects = SubVenueEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("sub-venue event")
        verbose_name_plural = _("sub-venue events")
        ordering = ["start", "title_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")),
                name="forum_sub_venue_event_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1), name="forum_sub_venue_event_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(venue__isnull=False) | ~Q(venue_name_en=""),
                name="forum_sub_venue_event_has_venue",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The rules of a proposal, asked by its services whichever way it arrives."""
        super().clean()
        errors = {}
        if not self.title_en.strip():
            errors["title_en"] = _("Give the event's title in English.")
        if not self.title_zh.strip():
            errors["title_zh"] = _("Give the event's title in Chinese.")
        if self.start and self.end and self.end <= self.start:
            errors["end"] = _("The event must end after it starts.")
        if self.section_id and self.section.edition_id != self.edition_id:
            errors["section"] = _("Choose a section of the delegation's edition.")
        if self.venue_id:
            if self.venue.edition_id != self.edition_id or not self.venue.is_sub_venue:
                errors["venue"] = _("Choose one of the edition's sub-venues.")
        else:
            for name, message in (
                ("venue_name_en", _("Name the new sub-venue in English.")),
                ("venue_name_zh", _("Name the new sub-venue in Chinese.")),
                ("city_en", _("Give the new sub-venue's city in English.")),
                ("country", _("Give the new sub-venue's country or region.")),
            ):
                if not str(getattr(self, name)).strip():
                    errors[name] = message
        if errors:
            raise ValidationError(errors)

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING
