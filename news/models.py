"""News and press releases: the conference's own articles, and the media figures of an
edition that organisers enter from outside sources."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from ciep.bilingual import Bilingual, bilingual_search
from ciep.models import Edition, Field, TimeStamped
from ciep.storage import private_storage
from ciep.uploads import CheckedImageField, PdfField

from .uploads import PdfOrImageField

# --- Articles -------------------------------------------------------------------------------


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """What the public reads: published articles (a scheduled one once its time came)."""
        return self.filter(state=Article.State.PUBLISHED)

    def for_edition(self, edition):
        return self.filter(edition=edition)

    def search(self, query: str):
        return self.filter(bilingual_search(query, "title", "summary", "body")) if query else self

    def visible_to(self, user):
        """Published articles; organisers also read drafts, those in review and scheduled
        ones (to review them)."""
        from .permissions import can_edit_articles

        return self if can_edit_articles(user) else self.published()

    def due(self, now=None):
        """Scheduled articles whose time to be published has come."""
        return self.filter(state=Article.State.SCHEDULED, publish_at__lte=now or timezone.now())


class Article(TimeStamped):
    """A news item, press release or announcement, in English and Chinese.

    It is written as a draft, sent for review, then published at once or scheduled for
    ``publish_at`` (a periodic task publishes it then); every step is a service in
    ``news.services``. An article may belong to an edition (its news) or to none (the
    conference's own).
    """

    pages_object = ("news.article", "pk")

    class Category(models.TextChoices):
        NEWS = "news", _("News")
        PRESS_RELEASE = "press_release", _("Press release")
        ANNOUNCEMENT = "announcement", _("Announcement")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        IN_REVIEW = "in_review", _("In review")
        SCHEDULED = "scheduled", _("Scheduled")
        PUBLISHED = "published", _("Published")

    edition = models.ForeignKey(
        Edition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("edition"),
    )
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.NEWS
    )
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    summary_en = models.TextField(_("summary (English)"), max_length=500, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), max_length=500, blank=True)
    body_en = models.TextField(_("text (English)"), blank=True)
    body_zh = models.TextField(_("text (Chinese)"), blank=True)
    lead_image = CheckedImageField(
        _("lead image"), folder="news", max_size=(1600, 1000), blank=True
    )
    lead_image_alt_en = models.CharField(
        _("lead image description (English)"),
        max_length=200,
        blank=True,
        help_text=_("What the picture shows, for readers who cannot see it."),
    )
    lead_image_alt_zh = models.CharField(
        _("lead image description (Chinese)"), max_length=200, blank=True
    )
    fields = models.ManyToManyField(
        Field, blank=True, related_name="articles", verbose_name=_("fields")
    )
    countries = CountryField(
        _("countries"),
        multiple=True,
        blank=True,
        help_text=_(
            "The countries the article is about: it is listed on the page of each one that is "
            "a guest of honour or an observer of the article's edition."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, db_index=True
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("For a scheduled article: when it is published."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )

    title = Bilingual()
    summary = Bilingual()
    body = Bilingual()
    lead_image_alt = Bilingual()

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(title_en="", title_zh=""), name="article_has_title"
            ),
            models.CheckConstraint(
                condition=~Q(state="scheduled") | Q(publish_at__isnull=False),
                name="article_scheduled_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "-published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


# --- Media figures --------------------------------------------------------------------------


class MediaFigure(TimeStamped):
    """A media figure of an edition that the portal cannot count itself, entered by the
    organisers with where it comes from: outlets accredited outside the portal, press
    releases published elsewhere, live-stream views on other platforms, new-media readership.
    """

    class Key(models.TextChoices):
        MEDIA_OUTLETS = "media_outlets", _("Media outlets")
        PRESS_RELEASES = "press_releases", _("Press releases")
        LIVE_VIEWS = "live_views", _("Live-stream views")
        NEW_MEDIA_READERSHIP = "new_media_readership", _("New-media readership")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="media_figures", verbose_name=_("edition")
    )
    key = models.CharField(_("figure"), max_length=30, choices=Key.choices)
    value = models.PositiveBigIntegerField(_("value"))
    source_en = models.CharField(
        _("source (English)"),
        max_length=300,
        help_text=_("Who counted it, for example: the organising committee's closing release."),
    )
    source_zh = models.CharField(_("source (Chinese)"), max_length=300, blank=True)
    as_of = models.DateField(_("as of"), help_text=_("The date the figure was counted."))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    source = Bilingual()

    class Meta:
        verbose_name = _("media figure")
        verbose_name_plural = _("media figures")
        ordering = ["edition", "key"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="media_figure_once_per_key")
        ]

    def __str__(self):
        return f"{self.get_key_display()}: {self.value}"


# --- Press centre ---------------------------------------------------------------------------


def new_badge_code() -> str:
    return secrets.token_hex(6).upper()


class AccreditationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(state=Accreditation.State.APPROVED)

    def visible_to(self, user):
        """A journalist sees their own accreditations; organisers see every one."""
        from .permissions import can_decide_accreditations

        if can_decide_accreditations(user):
            return self
        if not user.is_authenticated:
            return self.none()
        return self.filter(journalist=user)


class Accreditation(TimeStamped):
    """A journalist's request to cover an edition, with their press card (a private file,
    streamed only to them and the organisers), approved or refused by the organisers.

    No page shows an accreditation; the report counts the approved outlets, so a change of
    state or outlet refreshes the edition's pages and a new request refreshes nothing.
    """

    new_rows_on_pages = False
    fields_on_pages = frozenset({"state", "outlet"})

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        APPROVED = "approved", _("Accredited")
        REFUSED = "refused", _("Refused")

    class Role(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        EDITOR = "editor", _("Editor")
        PHOTOGRAPHER = "photographer", _("Photographer")
        CAMERA = "camera", _("Camera operator")
        TECHNICIAN = "technician", _("Technician")

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="accreditations", verbose_name=_("edition")
    )
    journalist = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="accreditations",
        verbose_name=_("journalist"),
    )
    outlet = models.CharField(_("media outlet"), max_length=200)
    country = CountryField(_("outlet's country or region"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    press_card = PdfOrImageField(_("press card"), folder="press-cards", storage=private_storage)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    refusal_reason = models.TextField(
        _("reason for refusal"), blank=True, help_text=_("Sent to the journalist.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    badge_code = models.CharField(
        _("badge code"), max_length=20, unique=True, default=new_badge_code, editable=False
    )

    objects = AccreditationQuerySet.as_manager()

    class Meta:
        verbose_name = _("media accreditation")
        verbose_name_plural = _("media accreditations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "journalist"], name="accreditation_once_per_edition"
            )
        ]

    def __str__(self):
        return f"{self.outlet} ({self.journalist})"

    @property
    def is_approved(self) -> bool:
        return self.state == self.State.APPROVED


class PressKitItem(TimeStamped):
    """A file of an edition's press kit (logo, photo, release), for accredited media."""

    shown_on_pages = False  # on the press centre's personal page only

    class Kind(models.TextChoices):
        LOGO = "logo", _("Logo")
        PHOTO = "photo", _("Photo")
        RELEASE = "release", _("Press release")
        OTHER = "other", _("Other")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="press_kit", verbose_name=_("edition")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    file = PdfOrImageField(_("file"), folder="press-kit", storage=private_storage)

    title = Bilingual()

    class Meta:
        verbose_name = _("press kit file")
        verbose_name_plural = _("press kit")
        ordering = ["edition", "kind", "title_en"]

    def __str__(self):
        return self.title


# --- Organising committee -------------------------------------------------------------------


class CommitteeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What organisers chose to publish; organisers themselves see every row."""
        from .permissions import can_edit_articles

        return self if can_edit_articles(user) else self.filter(is_public=True)


class CommitteeMember(TimeStamped):
    """A member of an edition's organising committee."""

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="committee", verbose_name=_("edition")
    )
    name_en = models.CharField(_("name (English)"), max_length=150)
    name_zh = models.CharField(_("name (Chinese)"), max_length=150, blank=True)
    organisation_en = models.CharField(_("organisation (English)"), max_length=200)
    organisation_zh = models.CharField(_("organisation (Chinese)"), max_length=200, blank=True)
    role_en = models.CharField(_("role in the committee (English)"), max_length=150)
    role_zh = models.CharField(_("role in the committee (Chinese)"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_public = models.BooleanField(_("public"), default=True)

    name = Bilingual()
    organisation = Bilingual()
    role = Bilingual()

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")
        ordering = ["edition", "order", "name_en"]

    def __str__(self):
        return self.name


class CommitteeMeeting(TimeStamped):
    """A meeting of the organising committee, with its agenda and minutes."""

    edition = models.ForeignKey(
        Edition,
        on_delete=models.CASCADE,
        related_name="committee_meetings",
        verbose_name=_("edition"),
    )
    date = models.DateField(_("date"))
    place_en = models.CharField(_("place (English)"), max_length=200)
    place_zh = models.CharField(_("place (Chinese)"), max_length=200, blank=True)
    agenda_en = models.TextField(_("agenda (English)"), blank=True)
    agenda_zh = models.TextField(_("agenda (Chinese)"), blank=True)
    minutes = PdfField(_("minutes (PDF)"), folder="committee", blank=True)
    is_public = models.BooleanField(_("public"), default=False)

    place = Bilingual()
    agenda = Bilingual()

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("committee meeting")
        verbose_name_plural = _("committee meetings")
        ordering = ["edition", "-date"]

    def __str__(self):
        return f"{self.place} {self.date}"


class WorkPlanItem(TimeStamped):
    """An item of the organising committee's work plan."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    edition = models.ForeignKey(
        Edition, on_delete=models.CASCADE, related_name="work_plan", verbose_name=_("edition")
    )
    title_en = models.CharField(_("task (English)"), max_length=200)
    title_zh = models.CharField(_("task (Chinese)"), max_length=200, blank=True)
    owner_en = models.CharField(_("owner (English)"), max_length=200)
    owner_zh = models.CharField(_("owner (Chinese)"), max_length=200, blank=True)
    due_date = models.DateField(_("due date"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.PLANNED
    )
    is_public = models.BooleanField(_("public"), default=False)

    title = Bilingual()
    owner = Bilingual()

    objects = CommitteeQuerySet.as_manager()

    class Meta:
        verbose_name = _("work plan item")
        verbose_name_plural = _("work plan")
        ordering = ["edition", "due_date", "title_en"]

    def __str__(self):
        return self.title
