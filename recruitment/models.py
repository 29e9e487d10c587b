"""Online Recruitment: job postings, talent profiles, applications, alerts and talent demands.

A job posting belongs to one edition (``JobPosting.edition``, the current edition when it is
created): that is how the edition report counts it. Its public life is its ``status`` (draft,
published, closed, expired) plus an orthogonal ``hidden_at`` set by organisers, so restoring a
hidden posting returns it to where it was.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from ciep.bilingual import Bilingual
from ciep.models import Delegation, Edition, Field, Language, Organisation, TimeStamped
from ciep.storage import private_storage
from ciep.uploads import CheckedImageField, PdfField


class Degree(models.IntegerChoices):
    """Degrees ranked, so that "at least a master's" is a comparison in the database."""

    NONE = 0, _("No degree required")
    BACHELOR = 2, _("Bachelor's degree")
    MASTER = 3, _("Master's degree")
    DOCTORATE = 4, _("Doctorate")


class LanguageLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    WORKING = "working", _("Working knowledge")
    FLUENT = "fluent", _("Fluent")
    NATIVE = "native", _("Native")


# --- Job postings ---------------------------------------------------------------------------


class JobPostingQuerySet(models.QuerySet):
    def visible(self):
        """Not hidden by organisers, posted by a verified organisation."""
        return self.filter(hidden_at__isnull=True, organisation__verified_at__isnull=False)

    def public(self):
        """What job seekers see: published, open for applications, visible."""
        return self.visible().filter(
            status=JobPosting.Status.PUBLISHED, deadline__gte=timezone.localdate()
        )

    def for_edition(self, edition):
        return self.filter(edition=edition)

    def counted(self):
        """Postings that reached the public (the edition report's ``job_postings``)."""
        return self.filter(
            status__in=[
                JobPosting.Status.PUBLISHED,
                JobPosting.Status.CLOSED,
                JobPosting.Status.EXPIRED,
            ],
            hidden_at__isnull=True,
        )

    def managed_by(self, user):
        """Postings of the organisations ``user`` belongs to (admins and staff alike)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation__memberships__user=user).distinct()


class JobPosting(TimeStamped):
    pages_object = ("recruitment.jobposting", "pk")

    class Type(models.TextChoices):
        FULL_TIME = "full_time", _("Full-time")
        PART_TIME = "part_time", _("Part-time")
        VISITING = "visiting", _("Visiting expert or scholar")
        POSTDOC = "postdoc", _("Postdoctoral")
        CONSULTANT = "consultant", _("Consultant")
        INTERNSHIP = "internship", _("Internship")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")

    class SalaryPeriod(models.TextChoices):
        MONTH = "month", _("per month")
        YEAR = "year", _("per year")

    class WorkPermit(models.TextChoices):
        NONE = "", _("No sponsorship")
        A = "A", _("Category A (high-end talent)")
        B = "B", _("Category B (professional talent)")
        C = "C", _("Category C (other)")

    edition = models.ForeignKey(
        Edition, on_delete=models.PROTECT, related_name="job_postings", verbose_name=_("edition")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="job_postings",
        verbose_name=_("employer"),
    )
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("posted by"),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"))
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="job_postings", verbose_name=_("field")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    city = models.CharField(_("city"), max_length=100, blank=True)
    province = models.CharField(_("province"), max_length=100, blank=True)
    remote = models.BooleanField(_("remote"), default=False)
    salary_min = models.PositiveIntegerField(_("salary from (CNY)"), null=True, blank=True)
    salary_max = models.PositiveIntegerField(_("salary up to (CNY)"), null=True, blank=True)
    salary_period = models.CharField(
        _("salary period"), max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.MONTH
    )
    # The top of the range per month, kept by ``save()`` for the salary filter and sort.
    salary_monthly = models.PositiveIntegerField(editable=False, null=True, db_index=True)
    experience_years = models.PositiveSmallIntegerField(_("years of experience wanted"), default=0)
    degree = models.PositiveSmallIntegerField(
        _("degree wanted"), choices=Degree.choices, default=Degree.NONE
    )
    openings = models.PositiveSmallIntegerField(_("number of openings"), default=1)
    deadline = models.DateField(_("application deadline"))
    work_permit = models.CharField(
        _("work-permit sponsorship"),
        max_length=1,
        choices=WorkPermit.choices,
        blank=True,
        default=WorkPermit.NONE,
        help_text=_("Whether you sponsor China's foreigner's work permit, and in which category."),
    )
    r_visa_support = models.BooleanField(_("talent visa (R visa) support"), default=False)
    relocation_help = models.BooleanField(_("relocation help"), default=False)
    housing_help = models.BooleanField(_("housing help"), default=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    deadline_reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
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

    title = Bilingual()
    description = Bilingual()

    objects = JobPostingQuerySet.as_manager()

    class Meta:
        verbose_name = _("job posting")
        verbose_name_plural = _("job postings")
        ordering = ["-published_at", "-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="job_status_deadline"),
            models.Index(fields=["-published_at"], name="job_published"),
            models.Index(fields=["province", "city"], name="job_location"),
            models.Index(fields=["type", "degree"], name="job_type_degree"),
            models.Index(fields=["work_permit", "remote"], name="job_permit_remote"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_max__gte=models.F("salary_min")),
                name="job_salary_range_ordered",
            ),
            models.CheckConstraint(condition=Q(openings__gte=1), name="job_openings_positive"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recruitment:job_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        top = self.salary_max if self.salary_max is not None else self.salary_min
        if top is None:
            self.salary_monthly = None
        else:
            self.salary_monthly = top // 12 if self.salary_period == self.SalaryPeriod.YEAR else top
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "salary_monthly"}
        super().save(*args, **kwargs)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_open(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.deadline >= timezone.localdate()
            and not self.is_hidden
        )

    def get_shown_status_display(self) -> str:
        """The status as the pages show it: a published posting whose deadline has passed is
        "Expired" already, before the hourly task closes it."""
        if self.status == self.Status.PUBLISHED and self.deadline < timezone.localdate():
            return str(self.Status.EXPIRED.label)
        return self.get_status_display()


class JobLanguage(models.Model):
    """A language a posting requires."""

    pages_edition = "posting__edition"
    pages_object = ("recruitment.jobposting", "posting")

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="languages", verbose_name=_("posting")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)

    class Meta:
        verbose_name = _("required language")
        verbose_name_plural = _("required languages")
        ordering = ["posting", "language"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "language"], name="job_language_unique")
        ]
        indexes = [models.Index(fields=["language", "posting"], name="job_language_lookup")]

    def __str__(self):
        return self.get_language_display()


class JobReport(TimeStamped):
    """Someone signed in reports a posting that seems to break the rules."""

    shown_on_pages = False

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="reports", verbose_name=_("posting")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reason = models.TextField(_("reason"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report of a posting")
        verbose_name_plural = _("reports of postings")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "reporter"], name="job_report_once")
        ]

    def __str__(self):
        return f"{self.posting} ({self.reporter})"


# --- Talent profiles ------------------------------------------------------------------------


class TalentProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Profiles ``user`` may read as an employer.

        A member of a verified organisation sees profiles open to all verified employers, and
        profiles kept for "employers I apply to" when the talent applied to one of that
        organisation's postings. A talent always sees their own profile.
        """
        if not user.is_authenticated:
            return self.none()
        own = Q(user=user)
        org_ids = list(
            Organisation.objects.verified()
            .filter(memberships__user=user)
            .values_list("pk", flat=True)
        )
        if not org_ids:
            return self.filter(own)
        return self.filter(
            own
            | Q(visibility=TalentProfile.Visibility.EMPLOYERS)
            | Q(
                visibility=TalentProfile.Visibility.APPLIED,
                pk__in=Application.objects.filter(posting__organisation__in=org_ids).values(
                    "talent_id"
                ),
            )
        )

    def browsable_by(self, user):
        """Profiles an employer may browse at /talents/ (not their own)."""
        return self.visible_to(user).exclude(user=user) if user.is_authenticated else self.none()


class TalentProfile(TimeStamped):
    shown_on_pages = False

    class Visibility(models.TextChoices):
        APPLIED = "applied", _("Only employers I apply to")
        EMPLOYERS = "employers", _("All verified employers")
        NOBODY = "nobody", _("Nobody")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="talent_profile",
        verbose_name=_("user"),
    )
    headline = models.CharField(_("headline"), max_length=200)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    nationality = CountryField(_("nationality"), db_index=True)
    residence = CountryField(_("country of residence"), blank=True)
    province = models.CharField(
        _("preferred province in China"),
        max_length=100,
        blank=True,
        help_text=_("Where you would like to work, if you have a preference."),
    )
    fields = models.ManyToManyField(
        Field, related_name="talent_profiles", blank=True, verbose_name=_("fields")
    )
    degree = models.PositiveSmallIntegerField(
        _("highest degree"), choices=Degree.choices, default=Degree.NONE, db_index=True
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    experience_years = models.PositiveSmallIntegerField(
        _("years of experience"), default=0, db_index=True
    )
    publications = models.TextField(_("publications or patents"), blank=True)
    cv = PdfField(_("CV (PDF)"), folder="cvs", blank=True, storage=private_storage)
    photo = CheckedImageField(
        _("photo"), folder="talents", max_size=(400, 400), blank=True, storage=private_storage
    )
    visibility = models.CharField(
        _("who may see my profile"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.APPLIED,
    )

    summary = Bilingual()

    objects = TalentProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent profile")
        verbose_name_plural = _("talent profiles")
        ordering = ["user__name", "id"]

    def __str__(self):
        return f"{self.user} – {self.headline}"

    def get_absolute_url(self):
        return reverse("talents:talent_detail", args=[self.pk])


class TalentLanguage(models.Model):
    shown_on_pages = False
    profile = models.ForeignKey(
        TalentProfile, on_delete=models.CASCADE, related_name="languages", verbose_name=_("profile")
    )
    language = models.CharField(_("language"), max_length=5, choices=Language.choices)
    level = models.CharField(
        _("level"), max_length=10, choices=LanguageLevel.choices, default=LanguageLevel.WORKING
    )

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["profile", "language"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "language"], name="talent_language_unique")
        ]
        indexes = [models.Index(fields=["language", "profile"], name="talent_language_lookup")]

    def __str__(self):
        return f"{self.get_language_display()} ({self.get_level_display()})"


# --- Applications ---------------------------------------------------------------------------


class ApplicationQuerySet(models.QuerySet):
    def of_talent(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(talent__user=user)

    def for_employer(self, user):
        """Applications to postings of the organisations ``user`` belongs to."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(posting__organisation__memberships__user=user).distinct()


class Application(TimeStamped):
    shown_on_pages = False

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        VIEWED = "viewed", _("Viewed")
        SHORTLISTED = "shortlisted", _("Shortlisted")
        INTERVIEW = "interview", _("Interview")
        OFFER = "offer", _("Offer")
        HIRED = "hired", _("Hired")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="applications", verbose_name=_("job")
    )
    talent = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("talent"),
    )
    cover_letter = models.TextField(_("cover letter"))
    cv = PdfField(
        _("CV at the time of applying"), folder="applications", blank=True, storage=private_storage
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED, db_index=True
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["posting", "talent"], name="application_once")
        ]

    def __str__(self):
        return f"{self.talent.user} → {self.posting}"


class ApplicationEvent(models.Model):
    """One recorded state change of an application: from what, to what, by whom, when."""

    shown_on_pages = False

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("application")
    )
    from_state = models.CharField(
        _("from"), max_length=12, choices=Application.State.choices, blank=True
    )
    to_state = models.CharField(_("to"), max_length=12, choices=Application.State.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["application", "created_at", "id"]

    def __str__(self):
        return f"{self.from_state or '∅'} → {self.to_state}"


class ApplicationNote(TimeStamped):
    """A private note of the employer on an application; the talent never sees it."""

    shown_on_pages = False

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="notes", verbose_name=_("application")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("private note")
        verbose_name_plural = _("private notes")
        ordering = ["application", "created_at", "id"]

    def __str__(self):
        return self.text[:50]


# --- Saved jobs, saved searches and alerts --------------------------------------------------


class SavedJob(TimeStamped):
    shown_on_pages = False
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_jobs",
        verbose_name=_("user"),
    )
    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="saves", verbose_name=_("posting")
    )

    class Meta:
        verbose_name = _("saved job")
        verbose_name_plural = _("saved jobs")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "posting"], name="saved_job_once")]

    def __str__(self):
        return f"{self.user} ☆ {self.posting}"


class SavedSearch(TimeStamped):
    """The filters of /jobs/, kept as a query string; the daily alert re-runs them."""

    shown_on_pages = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
        verbose_name=_("user"),
    )
    name = models.CharField(pgettext_lazy("saved search", "name"), max_length=100)
    query = models.CharField(_("filters"), max_length=1000, blank=True)
    alerts = models.BooleanField(_("daily email alert"), default=True)

    class Meta:
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        ordering = ["user", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["user", "query"], name="saved_search_once")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        url = reverse("recruitment:job_list")
        return f"{url}?{self.query}" if self.query else url


class JobAlert(models.Model):
    """A posting already emailed to a user by the daily alert: each posting is sent once."""

    shown_on_pages = False

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    posting = models.ForeignKey(
        JobPosting, on_delete=models.CASCADE, related_name="+", verbose_name=_("posting")
    )
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("job alert sent")
        verbose_name_plural = _("job alerts sent")
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "posting"], name="job_alert_once")]

    def __str__(self):
        return f"{self.user} ← {self.posting}"


# --- Talent demands of delegations ----------------------------------------------------------


class TalentDemandQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=TalentDemand.Status.OPEN)

    def for_edition(self, edition):
        return self.filter(delegation__edition=edition)

    def managed_by(self, user):
        """Demands of the delegations ``user`` is a member of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(delegation__members__user=user).distinct()


class TalentDemand(TimeStamped):
    """A delegation's request for talents ("Talent SHOW")."""

    pages_edition = "delegation__edition"

    class Level(models.TextChoices):
        LEADING = "leading", _("Leading talent")
        SENIOR = "senior", _("Senior expert")
        PROFESSIONAL = "professional", _("Professional")
        YOUNG = "young", _("Young talent")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    delegation = models.ForeignKey(
        Delegation,
        on_delete=models.CASCADE,
        related_name="talent_demands",
        verbose_name=_("delegation"),
    )
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    description_en = models.TextField(_("what is needed (English)"))
    description_zh = models.TextField(_("what is needed (Chinese)"), blank=True)
    offer_en = models.TextField(_("what the region offers (English)"), blank=True)
    offer_zh = models.TextField(_("what the region offers (Chinese)"), blank=True)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="talent_demands", verbose_name=_("field")
    )
    number = models.PositiveSmallIntegerField(_("number of talents"), default=1)
    level = models.CharField(_("level"), max_length=15, choices=Level.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
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
    description = Bilingual()
    offer = Bilingual()

    objects = TalentDemandQuerySet.as_manager()

    class Meta:
        verbose_name = _("talent demand")
        verbose_name_plural = _("talent demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(number__gte=1), name="demand_number_positive")
        ]
        indexes = [models.Index(fields=["status", "field"], name="demand_status_field")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("recruitment:demand_detail", args=[self.pk])


class DemandAnswer(TimeStamped):
    """An expert's answer to a demand: a message, and their profile shared with the delegation."""

    shown_on_pages = False

    demand = models.ForeignKey(
        TalentDemand, on_delete=models.CASCADE, related_name="answers", verbose_name=_("demand")
    )
    talent = models.ForeignKey(
        TalentProfile,
        on_delete=models.CASCADE,
        related_name="demand_answers",
        verbose_name=_("talent"),
    )
    message = models.TextField(_("message"))

    class Meta:
        verbose_name = _("answer to a demand")
        verbose_name_plural = _("answers to demands")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["demand", "talent"], name="demand_answer_once")
        ]

    def __str__(self):
        return f"{self.talent.user} → {self.demand}"
