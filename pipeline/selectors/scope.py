"""Who sees which part of the pipeline, and the filters that narrow it.

National HEE staff see England; regional HEE staff only their region; training-body admins only the clinicians of
the bodies they administer. Filters narrow that scope, never widen it (a region outside a regional person's scope is
not even offered: choosing it by URL is a form error, 400 in the API). Counts include clinicians who do not share
their records (anonymous aggregates); lists (drill-down and its CSV) only ever come from
``talent.selectors.clinicians_visible_to(user)``, i.e. consenting clinicians.

Filters (GET parameters of ``/pipeline/``, its exports, drill-down and ``/api/v1/pipeline/summary/``), combinable:
    region=<region slug>            e.g. region=london
    profession=<profession code>    e.g. profession=nurse
    career_stage=<stage code>       e.g. career_stage=specialty_training
    specialty=<text>                the clinician's specialty or field, any case, e.g. specialty=Cardiology
    training_body=<body slug>
    early_career=true               early-career clinicians only (DESIGN.md section 4)
    joined_from=YYYY-MM, joined_to=YYYY-MM (or the NHS.UK month and year boxes joined_from_month/_year)
        Clinicians who joined the service (their profile was created) from the start of the month ``joined_from`` to
        the end of the month ``joined_to``: whole months, as the figures are counted by month; the trends show only
        the months inside the range. A whole date (YYYY-MM-DD, as older links have) means its month.
    Drill-down also takes: stage=<registered|interested|developing|nominated|approved|in_role>, leaders=true
    (organisation level and above), event=<trend series key>&month=YYYY-MM (the people behind a trend cell),
    sort=<name|profession|career_stage|region|training_body|interest|joined>, "-" in front for descending, page=N.

What is shown is said in words by ``pipeline_scope_description`` (captions, titles, CSV headers, the API's
``scope``), e.g. "North West; doctors; joined January 2025 to June 2026".
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Region, Role, TrainingBody, User
from accounts.permissions import Permission, user_can
from regulators.models import Profession
from talent.models import CareerStage, ClinicianProfile, early_career_q


@dataclass(frozen=True)
class PipelineScope:
    """What the asking user may count: a region (regional HEE staff), some training bodies (their admins), or all."""

    region_id: int | None = None
    training_body_ids: tuple[int, ...] | None = None

    @property
    def national(self) -> bool:
        return self.region_id is None and self.training_body_ids is None


def pipeline_permission_required(user: User) -> None:
    """Only those whose role may view the pipeline (HEE staff, training-body admins) get any of its figures."""
    if not user.is_authenticated:
        raise PermissionDenied("Sign in to see the talent pipeline.")
    if not user_can(user, Permission.VIEW_PIPELINE):
        raise PermissionDenied("The talent pipeline is not available to your role.")


def pipeline_scope_for(user: User) -> PipelineScope:
    """What of the pipeline the user sees: a region or the country (HEE staff), or their training bodies."""
    pipeline_permission_required(user)
    if user.role == Role.HEE_STAFF:
        return PipelineScope(region_id=user.hee_region_id)
    ids = tuple(sorted(TrainingBody.objects.filter(memberships__user=user).values_list("pk", flat=True)))
    return PipelineScope(training_body_ids=ids)


def pipeline_regions_for(user: User) -> QuerySet[Region]:
    """Regions a person may filter by: their own when regional, all otherwise."""
    regions = Region.objects.order_by("name")
    if user.is_authenticated and user.role == Role.HEE_STAFF and user.hee_region_id:
        regions = regions.filter(pk=user.hee_region_id)
    return regions


def pipeline_training_bodies_for(user: User) -> QuerySet[TrainingBody]:
    """Training bodies a person may filter by: training-body admins their own, HEE staff all."""
    bodies = TrainingBody.objects.order_by("name")
    if user.is_authenticated and user.role == Role.TRAINING_BODY_ADMIN:
        bodies = bodies.filter(memberships__user=user)
    return bodies


@dataclass(frozen=True)
class PipelineFilters:
    region_id: int | None = None
    profession: str = ""
    career_stage: str = ""
    specialty: str = ""
    training_body_id: int | None = None
    early_career: bool = False
    joined_from: date | None = None
    joined_to: date | None = None

    @property
    def used(self) -> bool:
        return self != PipelineFilters()


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def pipeline_population(scope: PipelineScope) -> QuerySet[ClinicianProfile]:
    """Everyone counted within a scope, consenting or not (aggregates only: never list these)."""
    population = ClinicianProfile.objects.filter(user__is_active=True)
    if scope.region_id is not None:
        population = population.filter(region_id=scope.region_id)
    if scope.training_body_ids is not None:
        population = population.filter(training_body_id__in=scope.training_body_ids)
    return population


def profile_filter_q(filters: PipelineFilters, prefix: str = "") -> Q:
    """The filters on profile fields (the live path and the drill-down)."""
    q = Q()
    if filters.region_id is not None:
        q &= Q(**{f"{prefix}region_id": filters.region_id})
    if filters.profession:
        q &= Q(**{f"{prefix}profession": filters.profession})
    if filters.career_stage:
        q &= Q(**{f"{prefix}career_stage": filters.career_stage})
    if filters.specialty:
        q &= Q(**{f"{prefix}specialty__iexact": filters.specialty})
    if filters.training_body_id is not None:
        q &= Q(**{f"{prefix}training_body_id": filters.training_body_id})
    if filters.early_career:
        q &= early_career_q(prefix)
    if filters.joined_from:
        q &= Q(**{f"{prefix}created_at__gte": start_of(month_start(filters.joined_from))})
    if filters.joined_to:
        q &= Q(**{f"{prefix}created_at__lt": start_of(add_months(filters.joined_to, 1))})
    return q


def rollup_filter_q(scope: PipelineScope, filters: PipelineFilters, *, joined: bool = True) -> Q:
    q = Q()
    if scope.region_id is not None:
        q &= Q(region_id=scope.region_id)
    if scope.training_body_ids is not None:
        q &= Q(training_body_id__in=scope.training_body_ids)
    if filters.region_id is not None:
        q &= Q(region_id=filters.region_id)
    if filters.profession:
        q &= Q(profession=filters.profession)
    if filters.career_stage:
        q &= Q(career_stage=filters.career_stage)
    if filters.specialty:
        q &= Q(specialty__iexact=filters.specialty)
    if filters.training_body_id is not None:
        q &= Q(training_body_id=filters.training_body_id)
    if filters.early_career:
        q &= Q(early_career=True)
    if joined and filters.joined_from:
        q &= Q(joined_month__gte=month_start(filters.joined_from))
    if joined and filters.joined_to:
        q &= Q(joined_month__lte=month_start(filters.joined_to))
    return q


# Profession names as people say them of a group ("doctors", "midwives"), for the description of what is shown.
PROFESSION_PLURAL_EXCEPTIONS = {"midwife": "midwives"}


def profession_plural(profession: str) -> str:
    """ "Chiropodist or podiatrist" becomes "chiropodists or podiatrists"."""
    label = dict(Profession.choices).get(profession, profession).lower()
    words = [PROFESSION_PLURAL_EXCEPTIONS.get(word, f"{word}s") for word in label.split(" or ")]
    return " or ".join(words)


def month_name(day: date) -> str:
    return f"{day:%B %Y}"


def pipeline_scope_description(*, user: User, filters: PipelineFilters) -> str:
    """What a figure, list or file shows, in words: the person's scope, then each filter ("North West; doctors;
    joined January 2025 to June 2026"). A filter that only repeats the scope (a regional person choosing their own
    region) is not said twice, and a region or training body chosen stands for "England". Give it only valid
    filters: a description must never claim a filter the figures were not made with."""
    scope = pipeline_scope_for(user)
    parts: list[str] = []
    if scope.training_body_ids is not None:
        if filters.training_body_id is not None and filters.training_body_id in scope.training_body_ids:
            parts.append(TrainingBody.objects.get(pk=filters.training_body_id).name)
        else:
            names = TrainingBody.objects.filter(pk__in=scope.training_body_ids).order_by("name")
            parts.append(", ".join(names.values_list("name", flat=True)) or "No training body")
        if filters.region_id is not None:
            parts.append(Region.objects.get(pk=filters.region_id).name)
    else:
        region_id = filters.region_id if filters.region_id is not None else scope.region_id
        if region_id is not None:
            parts.append(Region.objects.get(pk=region_id).name)
        elif filters.training_body_id is None:
            parts.append("England")
        if filters.training_body_id is not None:
            parts.append(TrainingBody.objects.get(pk=filters.training_body_id).name)
    if filters.profession:
        parts.append(profession_plural(filters.profession))
    if filters.career_stage:
        parts.append(dict(CareerStage.choices).get(filters.career_stage, filters.career_stage))
    if filters.specialty:
        parts.append(f"specialty: {filters.specialty}")
    if filters.early_career:
        parts.append("early-career clinicians only")
    start, end = filters.joined_from, filters.joined_to
    if start and end:
        same = month_start(start) == month_start(end)
        parts.append(f"joined in {month_name(start)}" if same else f"joined {month_name(start)} to {month_name(end)}")
    elif start:
        parts.append(f"joined from {month_name(start)}")
    elif end:
        parts.append(f"joined up to {month_name(end)}")
    return "; ".join(parts)
