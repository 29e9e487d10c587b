"""The conference core: accounts, editions, organisations, delegations and the field taxonomy."""

import secrets

from auditlog.models import LogEntry
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import Country, CountryField

from .bilingual import Bilingual, bilingual_search, edition_ordinal
from .uploads import CheckedImageField, PdfField, ThumbnailField


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Language(models.TextChoices):
    """Every language the portal names, by its ISO 639-1 code, in every app: the interface
    language a person reads (``INTERFACE_LANGUAGES``) and the languages people, jobs, booths'
    staff and sessions speak. Django's own code of an interface language (the ``/zh-hans/``
    prefix, the catalogue's) is :attr:`django_code`, used only where Django asks for it."""

    ENGLISH = "en", _("English")
    CHINESE = "zh", _("Chinese")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")
    RUSSIAN = "ru", _("Russian")
    GERMAN = "de", _("German")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    ARABIC = "ar", _("Arabic")
    ITALIAN = "it", _("Italian")
    HEBREW = "he", _("Hebrew")
    FINNISH = "fi", _("Finnish")

    @property
    def django_code(self) -> str:
        """Django's code of this interface language: ``"zh"`` is ``"zh-hans"``."""
        return DJANGO_CODES[self]

    @classmethod
    def from_django_code(cls, code: str) -> "Language":
        """The interface language whose Django code is ``code`` (``"zh-hans"`` is Chinese)."""
        return cls(code.split("-")[0])


# The languages the portal's pages are written in, each with Django's code for it
# (settings.LANGUAGES: Chinese pages are Simplified Chinese, under /zh-hans/).
DJANGO_CODES = {Language.ENGLISH: "en", Language.CHINESE: "zh-hans"}
INTERFACE_LANGUAGES = [(language.value, language.label) for language in DJANGO_CODES]


# --- Accounts -------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """One account for every area. What a person may do follows from what they belong to."""

    # Signing in saves the time of it, which no page shows: it must not refresh cached pages.
    fields_not_on_pages = frozenset({"last_login"})
    # A new account shows nowhere until a public row (a speaker, an expert) links to it, and
    # of an account public pages show only these (a password or a preference is not).
    new_rows_on_pages = False
    fields_on_pages = frozenset({"name", "email", "is_active"})

    class CameAs(models.TextChoices):
        EXHIBITOR = "exhibitor", _("Exhibitor, representing an organisation")
        TALENT = "talent", _("Talent or expert")
        DELEGATION = "delegation", _("Delegation representative")
        VISITOR = "visitor", _("Visitor")

    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(
        pgettext_lazy("person", "name"),
        max_length=150,
        help_text=_("Your name as you would like it shown."),
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=10,
        choices=INTERFACE_LANGUAGES,
        default=Language.ENGLISH,
    )
    came_as = models.CharField(
        _("I come to the conference as"),
        max_length=20,
        choices=CameAs.choices,
        default=CameAs.VISITOR,
    )
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the organisers' back office."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["name", "email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.name or self.email

    def get_full_name(self):
        return self.name

    def get_short_name(self):
        return self.name

    @property
    def interface_language(self) -> str:
        """Django's code of the language this person reads (mails, calendars, redirects)."""
        return DJANGO_CODES.get(self.preferred_language, DJANGO_CODES[Language.ENGLISH])

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()


# --- Taxonomy -------------------------------------------------------------------------------


class Field(TimeStamped):
    """A professional field (5G, biomedicine, fintech, ...), shared by every area."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    name = Bilingual()

    class Meta:
        verbose_name = _("field")
        verbose_name_plural = _("fields")
        ordering = ["order", "name_en"]

    def __str__(self):
        return self.name


# --- Editions -------------------------------------------------------------------------------


class Format(models.TextChoices):
    OFFLINE = "offline", _("Offline")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class EditionQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True).first()


class Edition(TimeStamped):
    """One yearly conference: the 17th in 2019, the 20th in 2022, ..."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OPEN = "open", _("Open")
        CONCLUDED = "concluded", _("Concluded")

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1)]
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=300, blank=True)
    theme_zh = models.CharField(_("theme (Chinese)"), max_length=300, blank=True)
    slogan_en = models.CharField(_("slogan (English)"), max_length=300, blank=True)
    slogan_zh = models.CharField(_("slogan (Chinese)"), max_length=300, blank=True)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    city_en = models.CharField(_("city (English)"), max_length=100, default="Shenzhen")
    city_zh = models.CharField(_("city (Chinese)"), max_length=100, default="深圳", blank=True)
    venue_en = models.CharField(_("venue (English)"), max_length=200, blank=True)
    venue_zh = models.CharField(_("venue (Chinese)"), max_length=200, blank=True)
    format = models.CharField(
        _("format"), max_length=10, choices=Format.choices, default=Format.OFFLINE
    )
    hosts_en = models.TextField(_("hosts (English)"), blank=True)
    hosts_zh = models.TextField(_("hosts (Chinese)"), blank=True)
    co_hosts_en = models.TextField(_("co-hosts (English)"), blank=True)
    co_hosts_zh = models.TextField(_("co-hosts (Chinese)"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    is_current = models.BooleanField(_("current edition"), default=False)

    title = Bilingual()
    theme = Bilingual()
    slogan = Bilingual()
    city = Bilingual()
    venue = Bilingual()
    hosts = Bilingual()
    co_hosts = Bilingual()

    objects = EditionQuerySet.as_manager()

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="edition_one_current",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="edition_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("ciep:edition_detail", args=[self.number])

    @property
    def ordinal(self) -> str:
        """ "20th edition" or "第20届", in the visitor's language."""
        return edition_ordinal(self.number)

    @property
    def guest_of_honour(self) -> Country:
        """The guest-of-honour country (an empty ``Country`` when there is none), read from
        the edition's guests (``EditionGuest``; prefetch ``guests`` for a list of editions)."""
        for guest in self.guests.all():
            if guest.role == EditionGuest.Role.GUEST_OF_HONOUR:
                return guest.country
        return Country(code="")

    @property
    def observers(self) -> list[Country]:
        """The observer countries, in the organisers' order."""
        return [
            guest.country for guest in self.guests.all() if guest.role == EditionGuest.Role.OBSERVER
        ]

    @property
    def latest_change(self):
        changes = getattr(self, "_prefetched_objects_cache", {}).get("changes")
        if changes is not None:
            return changes[0] if changes else None
        return self.changes.first()


class EditionChange(models.Model):
    """A rescheduling of an edition: what it was, what it became, and why."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="changes", verbose_name=_("edition")
    )
    previous_start_date = models.DateField(_("previous start date"))
    previous_end_date = models.DateField(_("previous end date"))
    previous_format = models.CharField(_("previous format"), max_length=10, choices=Format.choices)
    new_start_date = models.DateField(_("new start date"))
    new_end_date = models.DateField(_("new end date"))
    new_format = models.CharField(_("new format"), max_length=10, choices=Format.choices)
    reason_en = models.TextField(_("reason (English)"))
    reason_zh = models.TextField(_("reason (Chinese)"), blank=True)
    show_notice = models.BooleanField(_("show a notice on the site"), default=True)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("changed by")
    )
    created_at = models.DateTimeField(_("changed at"), default=timezone.now)

    reason = Bilingual()

    class Meta:
        verbose_name = _("edition change")
        verbose_name_plural = _("edition changes")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.edition}: {self.previous_start_date} → {self.new_start_date}"


class EditionGuest(TimeStamped):
    """A country invited to an edition as its guest of honour or as an observer.

    Its page (``ciep:edition_guest``) gathers what the country brings to the edition: its
    delegations, and what the areas add (its exhibitors, its events, its news), after the
    organisers' short introduction.
    """

    class Role(models.TextChoices):
        GUEST_OF_HONOUR = "guest_of_honour", _("Guest of honour")
        OBSERVER = "observer", _("Observer")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="guests", verbose_name=_("edition")
    )
    country = CountryField(_("country or region"))
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.GUEST_OF_HONOUR
    )
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    intro_zh = models.TextField(_("introduction (Chinese)"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    intro = Bilingual()

    class Meta:
        verbose_name = _("guest country")
        verbose_name_plural = _("guest of honour and observers")
        # The guest of honour first ("guest_of_honour" sorts before "observer").
        ordering = ["edition", "role", "order", "country"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "country"], name="edition_guest_once"),
            models.UniqueConstraint(
                fields=["edition"],
                condition=models.Q(role="guest_of_honour"),
                name="edition_one_guest_of_honour",
            ),
        ]

    def __str__(self):
        return f"{self.country.name} ({self.get_role_display()})"

    def get_absolute_url(self):
        return reverse("ciep:edition_guest", args=[self.edition.number, self.country.code.lower()])


# --- Organisations --------------------------------------------------------------------------


class OrganisationQuerySet(models.QuerySet):
    def verified(self):
        return self.filter(verified_at__isnull=False)

    def search(self, query: str):
        return self.filter(bilingual_search(query, "name")) if query else self

    def managed_by(self, user):
        """Organisations in which ``user`` is an admin."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            memberships__user=user, memberships__role=Membership.Role.ADMIN
        ).distinct()

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(memberships__user=user).distinct()


class Organisation(TimeStamped):
    class Type(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        HIGH_TECH = "high_tech", _("High-tech enterprise")
        UNIVERSITY = "university", _("University or college")
        RESEARCH = "research", _("Research institute")
        TRAINING = "training", _("Training institution")
        HR_SERVICE = "hr_service", _("Human-resources service institution")
        PROFESSIONAL = "professional", _("Professional organisation")
        GOVERNMENT = "government", _("Government department")

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    type = models.CharField(_("type"), max_length=20, choices=Type.choices, db_index=True)
    country = CountryField(_("country or region"), db_index=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = CheckedImageField(_("logo"), folder="logos", max_size=(512, 512), blank=True)
    # Shown at 96 × 96 on the organisation's page.
    logo_thumbnail = ThumbnailField(_("logo thumbnail"), source="logo", size=(192, 192), crop=False)
    fields = models.ManyToManyField(
        Field, blank=True, related_name="organisations", verbose_name=_("fields of activity")
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )

    name = Bilingual()
    description = Bilingual()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_en"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ciep:organisation_detail", args=[self.pk])

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Membership(TimeStamped):
    shown_on_pages = False  # an organisation's members: not on public pages

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.organisation} ({self.get_role_display()})"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(TimeStamped):
    """An invitation by email to join an organisation or a delegation."""

    shown_on_pages = False

    email = models.EmailField(_("email address"))
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    delegation = models.ForeignKey(
        "Delegation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("delegation"),
    )
    role = models.CharField(_("role"), max_length=20)
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    invited_by = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("invited by")
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(organisation__isnull=False, delegation__isnull=True)
                    | models.Q(organisation__isnull=True, delegation__isnull=False)
                ),
                name="invitation_one_target",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=models.Q(accepted_at__isnull=True, organisation__isnull=False),
                name="invitation_open_org_unique",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "delegation",
                condition=models.Q(accepted_at__isnull=True, delegation__isnull=False),
                name="invitation_open_delegation_unique",
            ),
        ]

    def __str__(self):
        return f"{self.email} → {self.organisation or self.delegation}"

    @property
    def target(self):
        return self.organisation or self.delegation


# --- Delegations ----------------------------------------------------------------------------


class DelegationQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def of_member(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user).distinct()

    def headed_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(members__user=user, members__role=DelegationMember.Role.HEAD).distinct()


class Delegation(TimeStamped):
    """A province's, city's or foreign country's delegation to one edition."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("Province")
        AUTONOMOUS_REGION = "autonomous_region", _("Autonomous region")
        MUNICIPALITY = "municipality", _("Municipality")
        SAR = "sar", _("Special administrative region")
        CITY = "city", _("City")
        COUNTRY = "country", _("Foreign country")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="delegations", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    country = CountryField(_("country or region"), default="CN")
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of the delegation of"),
        help_text=_("A city may belong to its province's delegation."),
    )
    policies_en = models.TextField(_("talent-attraction policies (English)"), blank=True)
    policies_zh = models.TextField(_("talent-attraction policies (Chinese)"), blank=True)
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="delegations",
        verbose_name=_("member organisations"),
    )

    name = Bilingual()
    policies = Bilingual()

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")
        ordering = ["edition", "name_en"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "name_en"], name="delegation_unique_name")
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("ciep:delegation_detail", args=[self.pk])


class DelegationMember(TimeStamped):
    class Role(models.TextChoices):
        HEAD = "head", _("Head of delegation")
        REPRESENTATIVE = "representative", _("Representative")

    delegation = models.ForeignKey(
        Delegation, on_delete=models.CASCADE, related_name="members", verbose_name=_("delegation")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="delegation_memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.REPRESENTATIVE
    )

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "role", "user__name"]
        constraints = [
            models.UniqueConstraint(fields=["delegation", "user"], name="delegation_member_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.delegation} ({self.get_role_display()})"


class DelegationDocument(TimeStamped):
    shown_on_pages = False
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("delegation"),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    file = PdfField(_("document (PDF)"), folder="delegations")

    title = Bilingual()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["delegation", "title_en"]

    def __str__(self):
        return self.title


# --- Attendance -----------------------------------------------------------------------------


def new_attendance_code() -> str:
    return secrets.token_hex(6).upper()


class Attendance(TimeStamped):
    """Who attended an edition, and as what: the source of the report's people figures."""

    shown_on_pages = False  # registrations and check-ins: personal

    class Role(models.TextChoices):
        VISITOR = "visitor", _("Visitor")
        EXPERT = "expert", _("Expert or talent")
        REPRESENTATIVE = "representative", _("Delegation representative")
        EXHIBITOR_STAFF = "exhibitor_staff", _("Exhibitor staff")
        MEDIA = "media", _("Media")
        GUEST = "guest", _("Guest")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="attendances", verbose_name=_("edition")
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("user"),
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    role = models.CharField(_("attends as"), max_length=20, choices=Role.choices, db_index=True)
    country = CountryField(_("country or region"), db_index=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("organisation"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendances",
        verbose_name=_("delegation"),
    )
    code = models.CharField(
        _("check-in code"), max_length=16, unique=True, default=new_attendance_code, editable=False
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["edition", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"],
                condition=models.Q(user__isnull=False),
                name="attendance_once_per_edition",
            )
        ]
        indexes = [models.Index(fields=["edition", "role"], name="attendance_edition_role")]

    def __str__(self):
        return f"{self.name} – {self.edition} ({self.get_role_display()})"


class OutgoingMail(models.Model):
    """A mail the portal sends, kept from the moment its action is saved until it is delivered.

    Written in the same transaction as the action it tells about, so a saved action always
    has its mail and a rolled-back one never does; delivered by the task queue after commit
    (``ciep.tasks.mail_deliver``), retried with a growing delay while the mail server fails.
    Sent mails are deleted after ``MAIL_KEEP_DAYS`` days: they hold personal data.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up")

    # No page shows outgoing mail: writing one must not refresh the page cache.
    shown_on_pages = False

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    to = models.EmailField(pgettext_lazy("mail", "to"), max_length=254)
    from_email = models.CharField(pgettext_lazy("mail", "from"), max_length=254)
    subject = models.CharField(_("subject"), max_length=998)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    # [{"filename": ..., "mimetype": ..., "content": base64}, ...]
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mail")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(state="queued"),
                name="outgoing_mail_due",
            )
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class FormSubmission(models.Model):
    """A create form sent with its one-time token, and what it created (``ciep.idempotency``).

    Written in the same transaction as the created row; the unique token decides which of two
    identical posts creates it, and the other is answered with the first one's result.
    """

    # No page shows form submissions: writing one must not refresh the page cache.
    shown_on_pages = False

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(_("token"), max_length=64)
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True)
    # Where the first answer sent the person: a repeat is sent there too.
    location = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "token"], name="form_submission_once")
        ]

    def __str__(self):
        return f"{self.user_id}: {self.token}"


# --- Consent --------------------------------------------------------------------------------


class Consent(models.Model):
    """One grant or withdrawal of a person's consent to make their data public or visible.

    Rows are never changed: each choice adds one, so the latest row for a person, purpose and
    object is the consent in force, and the earlier ones are its history. ``text_version``
    and ``text`` are what the person was shown when they chose.
    """

    class Purpose(models.TextChoices):
        TALENT_PROFILE = "talent_profile", _("Show my talent profile to employers")
        AGREEMENT_PUBLICATION = "agreement_publication", _("Publish a signed agreement")
        SPEAKER_PROFILE = "speaker_profile", _("Show my biography and photo in the programme")

    # Writing a consent changes no page by itself: the service that flips the publication
    # saves that row, which refreshes the pages it appears on.
    shown_on_pages = False

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="consents", verbose_name=_("person")
    )
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    object_type = models.CharField(_("kind of record"), max_length=100)
    object_id = models.PositiveBigIntegerField(_("record"))
    object_label = models.CharField(_("about"), max_length=300)
    granted = models.BooleanField(_("granted"))
    text_version = models.CharField(_("version of the text shown"), max_length=20)
    text = models.TextField(_("text shown"))
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "purpose", "object_type", "object_id"], name="consent_lookup"
            )
        ]

    def __str__(self):
        state = _("granted") if self.granted else _("withdrawn")
        return f"{self.user} – {self.get_purpose_display()}: {state}"


# --- Audit log ------------------------------------------------------------------------------


class AuditEntry(LogEntry):
    """An entry of the audit log (django-auditlog's ``LogEntry``), as organisers read it."""

    shown_on_pages = False

    class Meta:
        proxy = True
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-timestamp", "-id"]


# --- Personal access tokens of the JSON API -------------------------------------------------


class AccessToken(models.Model):
    """A personal access token of the JSON API, sent as ``Authorization: Bearer <token>``.

    Only a SHA-256 hash of the token is kept, with its first characters to tell tokens apart:
    the token itself is shown once, when it is created (``ciep.services.token_create``).
    """

    # No page shows tokens to anyone but their owner: using one must not refresh page caches.
    shown_on_pages = False

    PREFIX = "ciep_"

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="access_tokens", verbose_name=_("user")
    )
    name = models.CharField(_("name of the token"), max_length=100)
    prefix = models.CharField(_("beginning of the token"), max_length=16, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


# --- Webhooks -------------------------------------------------------------------------------


class WebhookEvent(models.TextChoices):
    APPLICATION_CREATED = "application.created", _("A talent applied to one of our postings")
    APPLICATION_STATE_CHANGED = (
        "application.state_changed",
        _("An application to one of our postings changed state"),
    )
    POSTING_PUBLISHED = "posting.published", _("One of our job postings was published")
    POSTING_CLOSED = "posting.closed", _("One of our job postings was closed")
    MEETING_REQUESTED = "meeting.requested", _("Someone requested a meeting with our booth")
    MEETING_ACCEPTED = "meeting.accepted", _("A meeting with our booth was accepted")
    MEETING_CANCELLED = "meeting.cancelled", _("A meeting with our booth was cancelled")
    INTENTION_CREATED = "intention.created", _("A cooperation intention names us")
    INTENTION_STATE_CHANGED = (
        "intention.state_changed",
        _("A cooperation intention that names us changed state"),
    )
    AGREEMENT_SIGNED = "agreement.signed", _("A cooperation agreement that names us was signed")
    REGISTRATION_CONFIRMED = (
        "registration.confirmed",
        _("A seat at a session we organise was confirmed"),
    )
    REGISTRATION_PROMOTED = (
        "registration.promoted",
        _("Someone moved from the waiting list into a seat at a session we organise"),
    )


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """An address of an organisation's own system that the portal tells about its events, in
    a POST signed with the webhook's secret (``ciep.webhooks``). A webhook without an
    organisation is the organisers' own: it hears the events of every organisation."""

    shown_on_pages = False

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="webhooks",
        verbose_name=_("organisation"),
        help_text=_("Empty for the organisers' own systems, which hear every event."),
    )
    url = models.URLField(_("address"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(
        _("signing secret"), max_length=80, default=new_webhook_secret, editable=False
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        ordering = ["organisation", "-created_at", "-id"]

    def __str__(self):
        return self.url


class WebhookDelivery(models.Model):
    """One event told to one webhook: written with the event, sent after commit by the task
    queue, retried with a growing delay while the address fails, then given up."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up")

    shown_on_pages = False

    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("webhook")
    )
    event = models.CharField(_("event"), max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField(_("payload"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    response_excerpt = models.TextField(_("beginning of the answer"), blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.event} → {self.webhook}"


class WebhookAttempt(models.Model):
    """One POST of a delivery: what the address answered and how long it took. A delivery
    keeps its last attempt's figures too; these rows are the whole history, redeliveries
    included."""

    shown_on_pages = False

    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="attempt_log",
        verbose_name=_("webhook delivery"),
    )
    number = models.PositiveSmallIntegerField(_("attempt"))
    response_status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    latency_ms = models.PositiveIntegerField(_("latency (ms)"), null=True, blank=True)
    response_excerpt = models.TextField(_("beginning of the answer"), blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")
        ordering = ["delivery", "created_at", "id"]

    def __str__(self):
        return f"{self.delivery_id} #{self.number}: {self.response_status or self.error[:40]}"


class IdempotencyKey(models.Model):
    """The first answer to a write of the JSON API sent with an ``Idempotency-Key`` header,
    kept per token (``ciep.api_idempotency``): the same key with the same request is answered
    with it again, without running the write twice."""

    shown_on_pages = False

    token = models.ForeignKey(
        AccessToken,
        on_delete=models.CASCADE,
        related_name="idempotency_keys",
        verbose_name=_("access token"),
    )
    key = models.CharField(_("key"), max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="idempotency_key_per_token")
        ]

    def __str__(self):
        return self.key


class ImportBatch(models.Model):
    """A spreadsheet uploaded for a bulk import, kept between its preview and its confirmation
    (``ciep.imports``): the cells as read, never the rows they become until it is confirmed.

    It belongs to the person who uploaded it and to one import (``schema``, e.g.
    "recruitment.talent_demands") of one object (``scope``, e.g. "delegation:5"). Kept in the
    database, so any application server answers the preview and the confirmation; the
    confirmation locks the row, so a second one imports nothing.
    """

    # No page shows import batches: writing one must not refresh the page cache.
    shown_on_pages = False

    token = models.UUIDField(_("token"), unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    schema = models.CharField(_("import"), max_length=60)
    scope = models.CharField(_("for"), max_length=60)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    # {"header": [cells], "rows": [[row number, [cells]], ...]}; a formula cell is {"f": text}.
    table = models.JSONField(_("cells"), default=dict)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_count = models.PositiveIntegerField(_("rows created"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.schema} {self.scope} ({self.file_name})"
