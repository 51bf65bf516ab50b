"""Reads of pathways and opportunities: published content for everyone, and eligibility in plain words."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.postgres.search import SearchRank
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from accounts.permissions import Permission, user_can
from pathways.models import ContentStatus, Opportunity, Pathway, PathwayStep
from pathways.search import full_text_search_available, search_query, search_words
from regulators.models import Profession
from talent.models import CareerStage, ClinicianProfile


def pathways_visible_to(user: User) -> QuerySet[Pathway]:
    """Published pathways; drafts are for content editors, who work on them in the admin site."""
    return Pathway.objects.filter(status=ContentStatus.PUBLISHED).select_related("target_role")


# --- Searching pathways ----------------------------------------------------------------------------------------------


def pathways_searched(pathways: QuerySet[Pathway], text: str) -> QuerySet[Pathway]:
    """The pathways matching every word of the search, most relevant first (a match in the title before one in the
    summary, then the introduction and the steps): full-text search on PostgreSQL, a plain match on SQLite."""
    words = search_words(text)
    if not words:
        return pathways.order_by("title", "pk")
    if full_text_search_available(Pathway):
        query = search_query(words)
        return (
            pathways.filter(search_vector=query)
            .annotate(relevance=SearchRank(F("search_vector"), query))
            .order_by("-relevance", "title", "pk")
        )
    return _matched(pathways, words)


def _matched(pathways: QuerySet[Pathway], words: list[str]) -> QuerySet[Pathway]:
    """Every word somewhere in the pathway, its role or its steps; a word in the title scores most, then in the
    summary or role, then elsewhere."""
    score = Value(0)
    for word in words:
        in_steps = PathwayStep.objects.filter(pathway=OuterRef("pk")).filter(
            Q(title__icontains=word) | Q(description__icontains=word)
        )
        pathways = pathways.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(target_role__name__icontains=word)
            | Q(body__icontains=word)
            | Exists(in_steps)
        )
        score = score + Case(
            When(title__icontains=word, then=Value(3)),
            When(Q(summary__icontains=word) | Q(target_role__name__icontains=word), then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return pathways.annotate(relevance=score).order_by("-relevance", "title", "pk")


def opportunities_visible_to(user: User) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(status=ContentStatus.PUBLISHED)


def pathway_readable_by(user: User, slug: str) -> Pathway | None:
    """One pathway's page: published for everyone; a draft too for content editors, as a preview of the page
    clinicians will see once it is published (lists never show drafts)."""
    pathways = Pathway.objects.select_related("target_role")
    if not user_can(user, Permission.EDIT_CONTENT):
        pathways = pathways.filter(status=ContentStatus.PUBLISHED)
    return pathways.filter(slug=slug).first()


def opportunity_readable_by(user: User, slug: str) -> Opportunity | None:
    """One opportunity's page: published for everyone; a draft too for content editors (a preview)."""
    opportunities = Opportunity.objects.all()
    if not user_can(user, Permission.EDIT_CONTENT):
        opportunities = opportunities.filter(status=ContentStatus.PUBLISHED)
    return opportunities.filter(slug=slug).first()


def open_opportunities(today: date | None = None) -> QuerySet[Opportunity]:
    today = today or timezone.localdate()
    return Opportunity.objects.filter(status=ContentStatus.PUBLISHED, opens_on__lte=today, closes_on__gte=today)


def listed_or_any_q(field: str, code: str) -> Q:
    """Rows whose JSON list `field` is empty (open to any) or holds `code`.

    A text match on the quoted code rather than `__contains=[code]`, so it also runs on SQLite (`make run`); codes
    are plain lowercase words, so '"nurse"' can only match the element "nurse".
    """
    return Q(**{field: []}) | Q(**{f"{field}__icontains": f'"{code}"'})


def eligible_q(profile: ClinicianProfile, today: date) -> Q:
    """The database form of `eligibility_for(opportunity=..., profile=profile, today=today).eligible`."""
    condition = listed_or_any_q("professions", profile.profession) & listed_or_any_q(
        "career_stages", profile.career_stage
    )
    # Empty outside specialty training (the constraint profile_specialty_year_only_in_specialty_training).
    st_year = profile.specialty_training_year
    if st_year is None:
        condition &= Q(min_specialty_training_year__isnull=True)
    else:
        condition &= Q(min_specialty_training_year__isnull=True) | Q(min_specialty_training_year__lte=st_year)
    years = profile.years_since_registration(today)
    condition &= Q(min_years_since_registration__isnull=True) | Q(min_years_since_registration__lte=years)
    condition &= Q(max_years_since_registration__isnull=True) | Q(max_years_since_registration__gte=years)
    return condition & Q(opens_on__lte=today, closes_on__gte=today)


@dataclass(frozen=True)
class Eligibility:
    """Whether a clinician may apply, and if not, every rule they do not meet, in plain words."""

    reasons: list[str] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _joined(labels: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def eligibility_for(
    *, opportunity: Opportunity, profile: ClinicianProfile, today: date, name: str | None = None
) -> Eligibility:
    """Check every eligibility rule of the opportunity against the clinician's profile. An empty list of reasons
    means eligible; otherwise each reason names the rule, e.g. "open to ST4 and above". The reasons speak to the
    clinician ("you have 3"), or about them when someone else reads them (`name`: "Priya Shah has 3")."""
    has = f"{name} has" if name else "you have"
    reasons = []
    if opportunity.professions and profile.profession not in opportunity.professions:
        professions = [Profession(code).label.lower() for code in opportunity.professions]
        reasons.append(f"Open only to these professions: {_joined(professions)}.")
    if opportunity.career_stages and profile.career_stage not in opportunity.career_stages:
        stages = [CareerStage(code).label for code in opportunity.career_stages]
        reasons.append(f"Open only at these career stages: {_joined(stages)}.")
    if opportunity.min_specialty_training_year:
        st_year = profile.specialty_training_year
        if st_year is None or st_year < opportunity.min_specialty_training_year:
            reasons.append(
                f"Open to doctors in specialty training at ST{opportunity.min_specialty_training_year} and above."
            )
    years = profile.years_since_registration(today)
    low, high = opportunity.min_years_since_registration, opportunity.max_years_since_registration
    if low is not None and years < low:
        reasons.append(f"Needs at least {low} years since first registration ({has} {years}).")
    if high is not None and years > high:
        reasons.append(f"Open up to {high} years after first registration ({has} {years}).")
    if today < opportunity.opens_on:
        reasons.append(f"Applications open on {date_format(opportunity.opens_on, 'j F Y')}.")
    elif today > opportunity.closes_on:
        reasons.append(f"Applications closed on {date_format(opportunity.closes_on, 'j F Y')}.")
    return Eligibility(reasons=reasons)


# --- What builds a leadership dimension -----------------------------------------------------------------------------

STEPS_PER_DIMENSION = 3
OPPORTUNITIES_PER_DIMENSION = 3


@dataclass(frozen=True)
class DimensionDevelopment:
    """Pathway steps that build one Healthcare Leadership Model dimension, and opportunities those steps suggest."""

    dimension: str
    steps: list[PathwayStep]
    opportunities: list[Opportunity]


def development_for_dimensions(
    *, dimensions: list[str], profile: ClinicianProfile, today: date | None = None
) -> list[DimensionDevelopment]:
    """For each dimension (in the order given), published pathway steps that build it, the clinician's own
    profession's pathways first, and the published opportunities those steps suggest, open ones first. Two queries
    however many dimensions."""
    today = today or timezone.localdate()
    if not dimensions:
        return []
    mentions = Q(pk__in=[])
    for code in dimensions:
        mentions |= Q(dimensions__icontains=f'"{code}"')
    own = Pathway.objects.filter(listed_or_any_q("professions", profile.profession)).values("pk")
    steps = list(
        PathwayStep.objects.filter(mentions, pathway__status=ContentStatus.PUBLISHED)
        .select_related("pathway")
        .annotate(
            other_profession=Case(When(pathway__in=own, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("other_profession", "pathway__title", "order")
        .prefetch_related(
            Prefetch(
                "suggested_opportunities",
                queryset=Opportunity.objects.filter(status=ContentStatus.PUBLISHED).order_by("closes_on", "title"),
            )
        )
    )
    found = []
    for code in dimensions:
        building = [step for step in steps if code in step.dimensions]
        opportunities: dict = {}
        for step in building:
            for opportunity in step.suggested_opportunities.all():
                opportunities.setdefault(opportunity.pk, opportunity)
        # Open now first, then opening later; closed ones are no use today.
        useful = [o for o in opportunities.values() if o.closes_on >= today]
        useful.sort(key=lambda o: (not o.is_open_on(today), o.closes_on, o.title))
        found.append(
            DimensionDevelopment(
                dimension=code,
                steps=building[:STEPS_PER_DIMENSION],
                opportunities=useful[:OPPORTUNITIES_PER_DIMENSION],
            )
        )
    return found
