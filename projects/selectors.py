"""Composite reads of Project Cooperation: each decides its joins and prefetches once."""

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from ciep.models import Delegation, Edition, Field, Organisation
from ciep.permissions import is_organiser

from .models import (
    Competition,
    CompetitionEntry,
    Intention,
    Project,
    ProjectCooperationType,
    ProjectDocument,
)

# A project's parts in their own order: the models' defaults go through the project's order,
# a join that costs more to plan than these small reads take to run.
COOPERATION_TYPES = Prefetch(
    "cooperation_types", queryset=ProjectCooperationType.objects.order_by("type")
)
DOCUMENTS = Prefetch("documents", queryset=ProjectDocument.objects.order_by("created_at", "id"))

# What a project's card shows beyond the project itself.
CARD_PREFETCH = ["organisation", "delegation", "expert", "fields", COOPERATION_TYPES]


def _project_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "organisation", "delegation", "expert", "edition"
    ).prefetch_related(*CARD_PREFETCH)


def project_catalogue() -> QuerySet:
    """Published, visible projects for the public list; their cards fetch ``CARD_PREFETCH``
    when they are drawn."""
    return Project.objects.published()


def projects_visible_to(user) -> QuerySet:
    """Projects ``user`` may open: the public ones, their own (any state), or all for
    organisers."""
    if is_organiser(user):
        return Project.objects.all()
    public = Q(state=Project.State.PUBLISHED, hidden_at__isnull=True)
    if not user.is_authenticated:
        return Project.objects.filter(public)
    own = Project.objects.owned_by(user).values("pk")
    return Project.objects.filter(public | Q(pk__in=own))


def project_detail_queryset(user) -> QuerySet:
    """A project page's project, as ``user`` may open it, with what the page shows."""
    return (
        projects_visible_to(user)
        .select_related("organisation", "delegation", "expert", "edition")
        .prefetch_related("fields", COOPERATION_TYPES, DOCUMENTS)
    )


def projects_of(user) -> QuerySet:
    return _project_rows(Project.objects.owned_by(user)).order_by("-created_at", "-id")


def project_count(edition: Edition) -> int:
    """The home page's live figure: published projects of the edition."""
    return Project.objects.published().for_edition(edition).count()


def intention_rows(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "edition",
        "delegation",
        "organisation",
        "project",
        "counterpart_organisation",
        "counterpart_delegation",
        "counterpart_expert",
    ).prefetch_related("fields")


def intentions_visible_to(user) -> QuerySet:
    return intention_rows(Intention.objects.visible_to(user))


def project_responses(project: Project) -> QuerySet:
    """Every intention answering a project (for its owner)."""
    return intention_rows(project.intentions.all())


def counts_by_state(queryset: QuerySet) -> list[tuple[str, int]]:
    """(state label, count) in the order of the state machine, zero states left out."""
    counts = dict(queryset.order_by().values_list("state").annotate(n=Count("pk")))
    return [(label, counts[value]) for value, label in Intention.State.choices if value in counts]


def counts_by_field(queryset: QuerySet) -> list[tuple[Field, int]]:
    return list(
        Field.objects.filter(intentions__in=queryset.order_by().values("pk"))
        .annotate(n=Count("intentions", filter=Q(intentions__in=queryset.order_by().values("pk"))))
        .order_by("-n", "order", "name_en")
        .values_list("name_en", "name_zh", "n")
    )


def delegation_summary(delegation: Delegation) -> dict:
    """A delegation's intentions (submitted or received) with counts by state and field."""
    intentions = Intention.objects.of_delegation(delegation)
    counted = intentions.counted()
    return {
        "intentions": intention_rows(intentions),
        "intention_count": counted.count(),
        "agreement_count": counted.agreements().count(),
        "by_state": counts_by_state(intentions),
        "by_field": counts_by_field(counted),
    }


def delegation_public_counts(delegation: Delegation) -> dict:
    """What the public may know of a delegation's cooperation: counts and the published
    agreements."""
    intentions = Intention.objects.of_delegation(delegation).counted()
    totals = intentions.aggregate(
        intentions=Count("pk"),
        agreements=Count("pk", filter=Q(state__in=Intention.AGREEMENT_STATES)),
    )
    return {
        **totals,
        "published_agreements": intention_rows(intentions.published_agreements()),
    }


def delegation_ranking(edition: Edition) -> QuerySet:
    """Every delegation of an edition with its intentions and agreements, best first.

    An intention counts for the delegation that submitted it or received it; withdrawn ones
    do not count.
    """
    submitted = Intention.objects.filter(delegation=OuterRef("pk")).counted()
    received = Intention.objects.filter(counterpart_delegation=OuterRef("pk")).counted()
    return (
        Delegation.objects.filter(edition=edition)
        .annotate(
            intention_count=count_of(submitted) + count_of(received),
            agreement_count=count_of(submitted.agreements()) + count_of(received.agreements()),
        )
        .order_by("-agreement_count", "-intention_count", "name_en")
    )


def count_of(queryset: QuerySet):
    """A correlated subquery counting ``queryset``'s rows (0 when none)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def public_agreements(edition: Edition | None = None) -> QuerySet:
    agreements = Intention.objects.published_agreements()
    if edition is not None:
        agreements = agreements.for_edition(edition)
    return intention_rows(agreements).order_by("-signed_on", "-id")


def edition_counts(edition: Edition) -> dict:
    counted = Intention.objects.for_edition(edition).counted()
    return counted.aggregate(
        intentions=Count("pk"),
        agreements=Count("pk", filter=Q(state__in=Intention.AGREEMENT_STATES)),
    )


# --- Matchmaking ----------------------------------------------------------------------------

SHARED_FIELD_POINTS = 3
COUNTRY_POINTS = 2
TYPE_POINTS = 1


def recommendations(
    *,
    edition: Edition,
    field_ids: list[int],
    country: str,
    cooperation_types: list[str],
    exclude: Q,
    limit: int = 20,
) -> QuerySet:
    """Published projects of ``edition`` ranked by the database for a party.

    Score: 3 points per shared field, 2 when the project seeks the party's country, 1 when it
    seeks a cooperation type the party also seeks. Projects with no point are left out.
    Each row carries ``shared_field_count``, ``country_match``, ``type_match`` and
    ``shared_fields`` (prefetched) so the page can say why it matches.
    """
    shared = Count("fields", filter=Q(fields__in=field_ids), distinct=True)
    type_match = Exists(
        ProjectCooperationType.objects.filter(project=OuterRef("pk"), type__in=cooperation_types)
    )
    return (
        Project.objects.published()
        .for_edition(edition)
        .exclude(exclude)
        .annotate(
            shared_field_count=shared,
            country_match=Case(
                When(country_sought=country, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            type_match=Case(When(type_match, then=Value(1)), default=Value(0)),
        )
        .annotate(
            score=SHARED_FIELD_POINTS * Coalesce("shared_field_count", 0)
            + COUNTRY_POINTS * Coalesce("country_match", 0)
            + TYPE_POINTS * Coalesce("type_match", 0)
        )
        .filter(score__gt=0)
        .select_related("organisation", "delegation", "expert")
        .prefetch_related(
            "cooperation_types",
            Prefetch(
                "fields", queryset=Field.objects.filter(pk__in=field_ids), to_attr="shared_fields"
            ),
        )
        .order_by("-score", "-published_at", "-id")[:limit]
    )


def recommendations_for_organisation(organisation: Organisation, edition: Edition) -> QuerySet:
    """Projects for an organisation: its fields of activity and those of its own projects,
    its country, and the cooperation types its own projects seek."""
    field_ids = set(organisation.fields.values_list("pk", flat=True)) | set(
        Field.objects.filter(projects__organisation=organisation).values_list("pk", flat=True)
    )
    types = list(
        ProjectCooperationType.objects.filter(project__organisation=organisation)
        .values_list("type", flat=True)
        .distinct()
    )
    return recommendations(
        edition=edition,
        field_ids=sorted(field_ids),
        country=organisation.country.code,
        cooperation_types=types,
        exclude=Q(organisation=organisation),
    )


def recommendations_for_delegation(delegation: Delegation) -> QuerySet:
    """Projects for a delegation: the fields of its demands and of its member organisations,
    its country, and the cooperation types its demands seek."""
    field_ids = set(
        Field.objects.filter(projects__delegation=delegation).values_list("pk", flat=True)
    ) | set(
        Field.objects.filter(organisations__delegations=delegation).values_list("pk", flat=True)
    )
    types = list(
        ProjectCooperationType.objects.filter(project__delegation=delegation)
        .values_list("type", flat=True)
        .distinct()
    )
    return recommendations(
        edition=delegation.edition,
        field_ids=sorted(field_ids),
        country=delegation.country.code,
        cooperation_types=types,
        exclude=Q(delegation=delegation),
    )


# --- Competitions ---------------------------------------------------------------------------


def competition_entries(competition: Competition) -> QuerySet:
    return competition.entries.select_related(
        "project__organisation", "project__delegation", "project__expert"
    ).order_by(
        Case(
            When(result=CompetitionEntry.Result.WINNER, then=Value(0)),
            When(result=CompetitionEntry.Result.FINALIST, then=Value(1)),
            default=Value(2),
        ),
        "created_at",
    )


def competitions(edition: Edition | None = None) -> QuerySet:
    queryset = Competition.objects.select_related("edition").annotate(entry_count=Count("entries"))
    return queryset.filter(edition=edition) if edition is not None else queryset
