"""Composite reads of Online Recruitment, with their joins and prefetches decided once."""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone

from ciep.caching import shared
from ciep.models import Edition, Organisation

from .models import (
    Application,
    DemandAnswer,
    JobLanguage,
    JobPosting,
    SavedJob,
    SavedSearch,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)


def public_postings():
    """Published, open postings of verified employers with their employer and field."""
    return JobPosting.objects.public().select_related("organisation", "field")


def posting_facets() -> dict:
    """How many open postings offer each foreign-talent choice of the job search: each
    work-permit category, R-visa support, relocation and housing help.

    One aggregate, the same for every reader, kept until a posting changes (and at most a day:
    postings close at their deadline).
    """
    return shared(
        f"posting-facets:{timezone.localdate().isoformat()}", _count_posting_facets, "recruitment"
    )


def _count_posting_facets() -> dict:
    categories = [value for value in JobPosting.WorkPermit.values if value]
    counts = JobPosting.objects.public().aggregate(
        **{f"permit_{value}": Count("id", filter=Q(work_permit=value)) for value in categories},
        r_visa=Count("id", filter=Q(r_visa_support=True)),
        relocation=Count("id", filter=Q(relocation_help=True)),
        housing=Count("id", filter=Q(housing_help=True)),
    )
    return {
        "work_permit": {value: counts[f"permit_{value}"] for value in categories},
        "r_visa": counts["r_visa"],
        "relocation": counts["relocation"],
        "housing": counts["housing"],
    }


# A posting's languages in their own order: the model's default goes through the posting's
# order, a join that costs more to plan than the read takes to run.
LANGUAGES = Prefetch("languages", queryset=JobLanguage.objects.order_by("language"))

# What a posting's card shows beyond the posting itself.
CARD_PREFETCH = ["organisation", "field", LANGUAGES]


def posting_detail_queryset(user):
    """Postings a visitor may open: public ones, plus those the user manages, applied to or
    saved. Each test looks at the posting in hand (a correlated ``EXISTS``), so opening one
    posting never reads the whole list of public ones."""
    this = OuterRef("pk")
    visible = Exists(JobPosting.objects.public().filter(pk=this))
    postings = JobPosting.objects.select_related("organisation", "field", "edition")
    if user.is_authenticated:
        # Whether the user saved it is asked once, for the page's button too (``is_saved``).
        postings = postings.annotate(
            is_saved=Exists(SavedJob.objects.filter(user=user, posting=this))
        )
        visible |= Exists(JobPosting.objects.managed_by(user).filter(pk=this))
        visible |= Exists(Application.objects.of_talent(user).filter(posting=this))
        visible |= Q(is_saved=True)
    # Its languages are read by the page's shared part, when that must be drawn.
    return postings.filter(visible)


def posting_languages(posting):
    """Read in their own order: the default one joins the posting again."""
    return posting.languages.order_by("language")


def managed_postings(user):
    return (
        JobPosting.objects.managed_by(user)
        .select_related("organisation", "field")
        .annotate(application_count=Count("applications", distinct=True))
        .order_by("-created_at", "-id")
    )


def my_applications(user):
    return (
        Application.objects.of_talent(user)
        .select_related("posting__organisation")
        .order_by("-created_at", "-id")
    )


def posting_applications(posting):
    return (
        Application.objects.filter(posting=posting)
        .select_related("talent__user")
        .annotate(note_count=Count("notes"))
        .order_by("-created_at", "-id")
    )


def application_for_employer(user, pk):
    return (
        Application.objects.for_employer(user)
        .select_related("talent__user", "posting__organisation")
        .prefetch_related("talent__languages", "talent__fields", "events__by", "notes__author")
        .get(pk=pk)
    )


def saved_jobs(user):
    return (
        SavedJob.objects.filter(user=user)
        .select_related("posting__organisation", "posting__field")
        .order_by("-created_at", "-id")
    )


def talent_list(user):
    return (
        TalentProfile.objects.browsable_by(user)
        .select_related("user")
        .prefetch_related("fields", "languages")
        .order_by("-updated_at", "-id")
    )


def saved_search_matches(search: SavedSearch, *, since=None):
    """Public postings that match a saved search and were published after it was saved."""
    from .filters import JobPostingFilter

    data = QueryDict(search.query)
    postings = JobPostingFilter(data, queryset=JobPosting.objects.public()).qs
    postings = postings.filter(published_at__gte=since or search.created_at)
    return list(postings.select_related("organisation"))


def employer_postings(organisation: Organisation):
    """An employer's public postings, for its page."""
    return (
        public_postings()
        .filter(organisation=organisation)
        .prefetch_related(*CARD_PREFETCH)
        .order_by("deadline", "-id")
    )


def open_demands():
    return (
        TalentDemand.objects.open()
        .select_related("delegation__edition", "field")
        .order_by("-created_at", "-id")
    )


def demand_answers(demand):
    return (
        DemandAnswer.objects.filter(demand=demand)
        .select_related("talent__user")
        .prefetch_related("talent__fields", "talent__languages")
        .order_by("-created_at", "-id")
    )


def participating_organisation_ids(edition: Edition) -> list[int]:
    """Employers with a published posting in ``edition`` (for the edition report)."""
    return list(
        JobPosting.objects.for_edition(edition)
        .filter(status=JobPosting.Status.PUBLISHED, hidden_at__isnull=True)
        .values_list("organisation_id", flat=True)
        .distinct()
        .order_by("organisation_id")
    )


def edition_posting_count(edition: Edition) -> int:
    """The home page's figure: postings open now, posted for ``edition``."""
    return JobPosting.objects.public().for_edition(edition).count()


# --- Matching -------------------------------------------------------------------------------
# A match score computed by the database: shared field 3, each shared language 1, degree met 2,
# experience met 1, location (remote or the talent's preferred province) 1. Every component is
# also annotated on its own, so the page can say why a posting or a talent matches.

FIELD_WEIGHT, DEGREE_WEIGHT = 3, 2


def _as_int(condition):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def recommended_postings(profile: TalentProfile, *, limit: int = 20):
    """Public postings ranked for ``profile``; only those sharing something with it."""
    field_ids = list(profile.fields.values_list("pk", flat=True))
    languages = list(profile.languages.values_list("language", flat=True))
    shared_languages = (
        JobLanguage.objects.filter(posting=OuterRef("pk"), language__in=languages)
        .order_by()
        .values("posting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    location = Q(remote=True)
    if profile.province:
        location |= Q(province__iexact=profile.province)
    return (
        public_postings()
        .prefetch_related(*CARD_PREFETCH)
        .annotate(
            match_field=_as_int(Q(field_id__in=field_ids)),
            match_languages=Coalesce(Subquery(shared_languages), Value(0)),
            match_degree=_as_int(Q(degree__lte=profile.degree)),
            match_experience=_as_int(Q(experience_years__lte=profile.experience_years)),
            match_location=_as_int(location),
        )
        .annotate(
            score=FIELD_WEIGHT * F("match_field")
            + F("match_languages")
            + DEGREE_WEIGHT * F("match_degree")
            + F("match_experience")
            + F("match_location")
        )
        .filter(Q(match_field=1) | Q(match_languages__gt=0))
        .order_by("-score", "deadline", "-id")[:limit]
    )


def matching_talents(posting: JobPosting, user, *, limit: int = 20):
    """Visible talent profiles ranked for ``posting``, for its employer ``user``."""
    languages = list(posting.languages.values_list("language", flat=True))
    shared_languages = (
        TalentLanguage.objects.filter(profile=OuterRef("pk"), language__in=languages)
        .order_by()
        .values("profile")
        .annotate(n=Count("pk"))
        .values("n")
    )
    has_field = Exists(
        TalentProfile.fields.through.objects.filter(
            talentprofile_id=OuterRef("pk"), field_id=posting.field_id
        )
    )
    if posting.remote:
        location_match = Value(1, output_field=IntegerField())
    elif posting.province:
        location_match = _as_int(Q(province__iexact=posting.province))
    else:
        location_match = Value(0, output_field=IntegerField())
    return (
        TalentProfile.objects.browsable_by(user)
        .exclude(visibility=TalentProfile.Visibility.NOBODY)
        .select_related("user")
        .annotate(
            match_field=_as_int(has_field),
            match_languages=Coalesce(Subquery(shared_languages), Value(0)),
            match_degree=_as_int(Q(degree__gte=posting.degree)),
            match_experience=_as_int(Q(experience_years__gte=posting.experience_years)),
            match_location=location_match,
        )
        .annotate(
            score=FIELD_WEIGHT * F("match_field")
            + F("match_languages")
            + DEGREE_WEIGHT * F("match_degree")
            + F("match_experience")
            + F("match_location")
        )
        .filter(Q(match_field=1) | Q(match_languages__gt=0))
        .order_by("-score", "-experience_years", "id")[:limit]
    )


def recommended_demands(profile: TalentProfile, *, limit: int = 10):
    """Open demands in the talent's fields, newest first."""
    return (
        open_demands()
        .filter(field__in=profile.fields.all())
        .exclude(answers__talent=profile)
        .order_by("-created_at", "-id")[:limit]
    )


def profile_export(profile: TalentProfile) -> dict:
    """Everything the portal holds about a talent, for their download."""
    user = profile.user
    return {
        "account": {
            "email": user.email,
            "name": user.name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": {
            "headline": profile.headline,
            "summary_en": profile.summary_en,
            "summary_zh": profile.summary_zh,
            "nationality": str(profile.nationality),
            "residence": str(profile.residence),
            "province": profile.province,
            "fields": [field.name_en for field in profile.fields.all()],
            "degree": profile.get_degree_display(),
            "institution": profile.institution,
            "experience_years": profile.experience_years,
            "languages": [
                {"language": item.language, "level": item.level} for item in profile.languages.all()
            ],
            "publications": profile.publications,
            "cv": profile.cv.name or None,
            "photo": profile.photo.name or None,
            "visibility": profile.visibility,
            "created_at": profile.created_at.isoformat(),
            "updated_at": profile.updated_at.isoformat(),
        },
        "applications": [
            {
                "job": application.posting.title_en,
                "employer": application.posting.organisation.name_en,
                "cover_letter": application.cover_letter,
                "state": application.state,
                "applied_at": application.created_at.isoformat(),
                "history": [
                    {"from": e.from_state, "to": e.to_state, "at": e.created_at.isoformat()}
                    for e in application.events.all()
                ],
            }
            for application in profile.applications.select_related(
                "posting__organisation"
            ).prefetch_related("events")
        ],
        "demand_answers": [
            {
                "demand": answer.demand.title_en,
                "message": answer.message,
                "at": answer.created_at.isoformat(),
            }
            for answer in profile.demand_answers.select_related("demand")
        ],
        "saved_jobs": [saved.posting.title_en for saved in saved_jobs(user)],
        "saved_searches": [
            {"name": search.name, "query": search.query} for search in user.saved_searches.all()
        ],
    }


def dashboard_summary(user) -> dict:
    """What "My CIEP" shows of recruitment: two counts and the talent's profile, in 3 queries."""
    return {
        "profile": TalentProfile.objects.filter(user=user).first(),
        "application_count": Application.objects.of_talent(user).count(),
        "saved_count": SavedJob.objects.filter(user=user).count(),
    }
