"""Project Cooperation: projects seeking partners, delegations' demands, cooperation intentions,
signed agreements with their follow-up, and pitch competitions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ciep.bilingual import Bilingual, bilingual_search
from ciep.models import Delegation, Edition, Field, Organisation, TimeStamped
from ciep.storage import private_storage
from ciep.uploads import PdfField


class CooperationType(models.TextChoices):
    TECHNOLOGY_TRANSFER = "technology_transfer", _("Technology transfer")
    JOINT_RD = "joint_rd", _("Joint research and development")
    INVESTMENT = "investment", _("Investment")
    TALENT = "talent", _("Talent introduction")
    LICENSING = "licensing", _("Licensing")
    TRAINING = "training", _("Training")


class AmountBand(models.TextChoices):
    UNDER_1M = "under_1m", _("Under CNY 1 million")
    FROM_1M = "1m_10m", _("CNY 1–10 million")
    FROM_10M = "10m_50m", _("CNY 10–50 million")
    OVER_50M = "over_50m", _("Over CNY 50 million")


# --- Projects -------------------------------------------------------------------------------


class ProjectQuerySet(models.QuerySet):
    def published(self):
        """What the public sees: published and not hidden by the organisers."""
        return self.filter(state=Project.State.PUBLISHED, hidden_at__isnull=True)

    def for_edition(self, edition):
        return self.filter(edition=edition)

    def search(self, query: str):
        return self.filter(bilingual_search(query, "title", "summary")) if query else self

    def demands(self):
        return self.filter(delegation__isnull=False, kind=Project.Kind.REQUEST)

    def owned_by(self, user):
        """Projects that ``user`` may edit: their organisations', their delegations' (heads
        only) and their own as an expert."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(organisation__in=Organisation.objects.of_member(user))
            | Q(delegation__in=Delegation.objects.headed_by(user))
            | Q(expert=user)
        )


class Project(TimeStamped):
    """An offer (something to transfer) or a request (something sought) looking for partners.

    Exactly one owner: an organisation, a delegation (its requests are the region's demands)
    or an expert (alone or with a team, named in ``team_name``).
    """

    pages_object = ("projects.project", "pk")

    class Kind(models.TextChoices):
        OFFER = "offer", pgettext_lazy("project kind", "Offer")
        REQUEST = "request", pgettext_lazy("project kind", "Request")

    class Stage(models.TextChoices):
        RESEARCH = "research", _("Research")
        PROTOTYPE = "prototype", _("Prototype")
        PILOT = "pilot", _("Pilot")
        INDUSTRIALISATION = "industrialisation", _("Industrialisation")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="projects", verbose_name=_("edition")
    )
    kind = models.CharField(_("offer or request"), max_length=10, choices=Kind.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("organisation"),
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("delegation"),
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("expert"),
    )
    team_name = models.CharField(
        _("expert team"),
        max_length=200,
        blank=True,
        help_text=_("For example: Professor Zhang Han's team."),
    )
    owner_country = CountryField(_("owner's country or region"), blank=True, db_index=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    offers_en = models.TextField(
        _("what the region offers (English)"),
        blank=True,
        help_text=_("Policies, land, funding: what partners can count on."),
    )
    offers_zh = models.TextField(_("what the region offers (Chinese)"), blank=True)
    fields = models.ManyToManyField(
        Field, blank=True, related_name="projects", verbose_name=_("fields")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    country_sought = CountryField(_("country or region sought"), blank=True)
    region_sought = models.CharField(
        _("region sought"),
        max_length=200,
        blank=True,
        help_text=_("For example: the Greater Bay Area."),
    )
    amount_band = models.CharField(
        _("budget or investment"), max_length=10, choices=AmountBand.choices, blank=True
    )
    contact_name = models.CharField(_("contact person"), max_length=150)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact telephone"), max_length=40, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.TextField(_("reason for hiding"), blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hidden by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    title = Bilingual()
    summary = Bilingual()
    offers = Bilingual()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=False, delegation__isnull=True, expert__isnull=True)
                    | Q(organisation__isnull=True, delegation__isnull=False, expert__isnull=True)
                    | Q(organisation__isnull=True, delegation__isnull=True, expert__isnull=False)
                ),
                name="project_one_owner",
            ),
            models.CheckConstraint(
                condition=~Q(title_en="", title_zh=""), name="project_has_title"
            ),
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""),
                name="project_hidden_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["edition", "state"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", args=[self.pk])

    @property
    def owner(self):
        return self.organisation or self.delegation or self.expert

    @property
    def owner_name(self) -> str:
        if self.expert_id:
            return self.team_name or self.expert.name
        return str(self.owner)

    @property
    def is_demand(self) -> bool:
        return bool(self.delegation_id) and self.kind == self.Kind.REQUEST

    @property
    def is_public(self) -> bool:
        return self.state == self.State.PUBLISHED and self.hidden_at is None

    @property
    def cooperation_type_labels(self) -> list[str]:
        return [str(CooperationType(row.type).label) for row in self.cooperation_types.all()]


class ProjectDocument(TimeStamped):
    """A PDF attached to a project (a brochure, a technical sheet, a policy document)."""

    pages_edition = "project__edition"
    pages_object = ("projects.project", "project")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="documents", verbose_name=_("project")
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    file = PdfField(_("document (PDF)"), folder="projects")

    title = Bilingual()

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        ordering = ["project", "created_at", "id"]

    def __str__(self):
        return self.title or gettext("Attachment")


class ProjectCooperationType(models.Model):
    """One cooperation type a project seeks (a project may seek several)."""

    pages_edition = "project__edition"
    pages_object = ("projects.project", "project")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="cooperation_types",
        verbose_name=_("project"),
    )
    type = models.CharField(_("cooperation type"), max_length=30, choices=CooperationType.choices)

    class Meta:
        verbose_name = _("cooperation type sought")
        verbose_name_plural = _("cooperation types sought")
        ordering = ["project", "type"]
        constraints = [
            models.UniqueConstraint(fields=["project", "type"], name="project_cooperation_unique")
        ]

    def __str__(self):
        return self.get_type_display()


# --- Cooperation intentions -----------------------------------------------------------------


class IntentionQuerySet(models.QuerySet):
    def for_edition(self, edition):
        return self.filter(edition=edition)

    def counted(self):
        """The intentions that count in figures: every one except the withdrawn."""
        return self.exclude(state=Intention.State.WITHDRAWN)

    def agreements(self):
        return self.filter(state__in=Intention.AGREEMENT_STATES)

    def published_agreements(self):
        """Agreements that both parties agreed to show to the public."""
        return self.agreements().filter(submitter_publishes=True, counterpart_publishes=True)

    def of_delegation(self, delegation):
        return self.filter(Q(delegation=delegation) | Q(counterpart_delegation=delegation))

    def visible_to(self, user):
        """Intentions of which ``user`` is a party (through an organisation, a delegation or
        as the named expert), or every one for organisers."""
        from ciep.permissions import is_organiser

        if not user.is_authenticated:
            return self.none()
        if is_organiser(user):
            return self
        ids = Intention.objects.filter(
            Q(delegation__members__user=user)
            | Q(organisation__memberships__user=user)
            | Q(counterpart_delegation__members__user=user)
            | Q(counterpart_organisation__memberships__user=user)
            | Q(counterpart_expert=user)
        ).values("pk")
        return self.filter(pk__in=ids)


class Intention(TimeStamped):
    """A cooperation intention between two parties, reached at an edition, and its agreement.

    The submitting side is a delegation or an organisation; the counterpart is an
    organisation, a delegation or an expert (with ``project`` when it answers a project).
    Its state changes only through the services in ``projects.services``.
    """

    # An agreement shows on its project's page (when it answers one) and in the edition's lists.
    pages_object = ("projects.project", "project")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        CONFIRMED = "confirmed", _("Confirmed")
        NEGOTIATING = "negotiating", _("Under negotiation")
        SIGNED = "signed", _("Agreement signed")
        IMPLEMENTING = "implementing", _("In implementation")
        COMPLETED = "completed", _("Completed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        LAPSED = "lapsed", _("Lapsed")

    AGREEMENT_STATES = (State.SIGNED, State.IMPLEMENTING, State.COMPLETED)
    OPEN_STATES = (State.SUBMITTED, State.CONFIRMED, State.NEGOTIATING)

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="intentions", verbose_name=_("edition")
    )
    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intentions",
        verbose_name=_("submitted for the delegation"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="intentions",
        verbose_name=_("submitted for the organisation"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intentions",
        verbose_name=_("project"),
    )
    counterpart_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_intentions",
        verbose_name=_("counterpart organisation"),
    )
    counterpart_delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_intentions",
        verbose_name=_("counterpart delegation"),
    )
    counterpart_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="received_intentions",
        verbose_name=_("counterpart expert"),
    )
    counterpart_team = models.CharField(
        _("expert or team"),
        max_length=200,
        blank=True,
        help_text=_("The named expert or team, for example Professor Zhang Han's team."),
    )
    fields = models.ManyToManyField(
        Field, blank=True, related_name="intentions", verbose_name=_("fields")
    )
    cooperation_type = models.CharField(
        _("cooperation type"), max_length=30, choices=CooperationType.choices
    )
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    amount_band = models.CharField(
        _("amount"), max_length=10, choices=AmountBand.choices, blank=True
    )
    state = models.CharField(
        _("state"), max_length=15, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_place_en = models.CharField(_("place of signing (English)"), max_length=200, blank=True)
    signed_place_zh = models.CharField(_("place of signing (Chinese)"), max_length=200, blank=True)
    signed_document = PdfField(
        _("signed agreement (PDF)"), folder="agreements", blank=True, storage=private_storage
    )
    submitter_publishes = models.BooleanField(
        _("the submitting party agrees to publish the agreement"), default=False
    )
    counterpart_publishes = models.BooleanField(
        _("the counterpart agrees to publish the agreement"), default=False
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    description = Bilingual()
    signed_place = Bilingual()

    objects = IntentionQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooperation intention")
        verbose_name_plural = _("cooperation intentions")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(delegation__isnull=False, organisation__isnull=True)
                    | Q(delegation__isnull=True, organisation__isnull=False)
                ),
                name="intention_one_submitter",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        counterpart_organisation__isnull=False,
                        counterpart_delegation__isnull=True,
                        counterpart_expert__isnull=True,
                    )
                    | Q(
                        counterpart_organisation__isnull=True,
                        counterpart_delegation__isnull=False,
                        counterpart_expert__isnull=True,
                    )
                    | Q(
                        counterpart_organisation__isnull=True,
                        counterpart_delegation__isnull=True,
                        counterpart_expert__isnull=False,
                    )
                ),
                name="intention_one_counterpart",
            ),
            models.CheckConstraint(
                condition=(
                    Q(organisation__isnull=True)
                    | Q(counterpart_organisation__isnull=True)
                    | ~Q(organisation=models.F("counterpart_organisation"))
                ),
                name="intention_not_with_own_organisation",
            ),
            models.CheckConstraint(
                condition=(
                    Q(delegation__isnull=True)
                    | Q(counterpart_delegation__isnull=True)
                    | ~Q(delegation=models.F("counterpart_delegation"))
                ),
                name="intention_not_with_own_delegation",
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["signed", "implementing", "completed"])
                | Q(signed_on__isnull=False),
                name="intention_agreement_has_date",
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "state"]),
            # The newest first (organisers' lists, the admin) without sorting every intention.
            models.Index(fields=["-created_at", "-id"], name="intention_newest_first"),
        ]

    def __str__(self):
        return f"{self.submitter} → {self.counterpart_name}"

    def get_absolute_url(self):
        return reverse("projects:intention_detail", args=[self.pk])

    @property
    def submitter(self):
        return self.delegation or self.organisation

    @property
    def counterpart(self):
        return (
            self.counterpart_organisation or self.counterpart_delegation or self.counterpart_expert
        )

    @property
    def counterpart_name(self) -> str:
        name = str(self.counterpart)
        return f"{name} ({self.counterpart_team})" if self.counterpart_team else name

    @property
    def is_agreement(self) -> bool:
        return self.state in self.AGREEMENT_STATES


class IntentionEvent(models.Model):
    """One step in an intention's life: who moved it from which state to which, and when."""

    shown_on_pages = False

    intention = models.ForeignKey(
        Intention, on_delete=models.CASCADE, related_name="events", verbose_name=_("intention")
    )
    from_state = models.CharField(
        _("from"), max_length=15, choices=Intention.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=15, choices=Intention.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("intention event")
        verbose_name_plural = _("intention events")
        ordering = ["intention", "created_at", "id"]

    def __str__(self):
        return f"{self.get_from_state_display() or '–'} → {self.get_to_state_display()}"


class Milestone(models.IntegerChoices):
    THREE_MONTHS = 3, _("3 months")
    SIX_MONTHS = 6, _("6 months")
    TWELVE_MONTHS = 12, _("12 months")


class ProgressReport(TimeStamped):
    """A party's report on how a signed agreement is going."""

    pages_edition = "intention__edition"

    intention = models.ForeignKey(
        Intention,
        on_delete=models.CASCADE,
        related_name="progress_reports",
        verbose_name=_("agreement"),
    )
    milestone = models.PositiveSmallIntegerField(
        _("milestone"), choices=Milestone.choices, null=True, blank=True
    )
    text = models.TextField(_("progress"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["intention", "created_at", "id"]

    def __str__(self):
        return f"{self.intention} – {self.created_at:%Y-%m-%d}"


class FollowUpReminder(models.Model):
    """A progress-report reminder sent for an agreement at a milestone (once, by constraint)."""

    shown_on_pages = False

    intention = models.ForeignKey(
        Intention, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("agreement")
    )
    milestone = models.PositiveSmallIntegerField(_("milestone"), choices=Milestone.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up reminder")
        verbose_name_plural = _("follow-up reminders")
        ordering = ["intention", "milestone"]
        constraints = [
            models.UniqueConstraint(
                fields=["intention", "milestone"], name="followup_one_per_milestone"
            )
        ]

    def __str__(self):
        return f"{self.intention} – {self.get_milestone_display()}"


# --- Pitch competitions ---------------------------------------------------------------------


class Competition(TimeStamped):
    """A pitch or innovation competition held at an edition (e.g. Pitch@Palace China 3.0)."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="competitions", verbose_name=_("edition")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    entries_open = models.BooleanField(_("open for entries"), default=True)

    name = Bilingual()
    description = Bilingual()

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        ordering = ["-edition__number", "name_en"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("projects:competition_detail", args=[self.slug])


class CompetitionEntry(TimeStamped):
    pages_edition = "competition__edition"

    class Result(models.TextChoices):
        ENTERED = "entered", _("Entered")
        FINALIST = "finalist", _("Finalist")
        WINNER = "winner", _("Winner")

    competition = models.ForeignKey(
        Competition, on_delete=models.CASCADE, related_name="entries", verbose_name=_("competition")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="competition_entries",
        verbose_name=_("project"),
    )
    result = models.CharField(
        _("result"), max_length=10, choices=Result.choices, default=Result.ENTERED
    )
    award = models.CharField(_("award"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    class Meta:
        verbose_name = _("competition entry")
        verbose_name_plural = _("competition entries")
        ordering = ["competition", "-result", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["competition", "project"], name="entry_once")
        ]

    def __str__(self):
        return f"{self.project} @ {self.competition}"
