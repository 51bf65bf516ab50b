"""The totals of the staff lists of clinicians without counting the profiles: the clinicians list and the
`clinicians/` API (both through `clinicians_list_total`), and the drill-down (`drilldown_total`).

Whenever the latest roll-up run can answer a list's question exactly, the total is read from it, as of that run:
the unfiltered lists of a scope from the counts stored with the run's summaries (`listed`, one small read), filtered
ones by summing `PipelineListRollup`, which counts clinicians by what the lists filter on and by the two consents
that decide who may list them (`talent.selectors.clinicians_visible_to`). A question the roll-ups cannot answer (a
search by name, early interest since a date, a specialty or months joined, a trend cell), or no fresh run, gets the
planner's estimate of the list's own query (`config.paginators.planner_estimate`), shown as "about N". ADR 0012.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Cast, Concat

from accounts.models import TrainingBodyMembership, User
from config.paginators import ListTotal, planner_estimate
from pipeline.models import PipelineListRollup, PipelineRollupRun, PipelineScopeSummary
from pipeline.selectors.drilldown import Drilldown
from pipeline.selectors.figures import pipeline_figures_stale, pipeline_latest_run
from pipeline.selectors.scope import PipelineFilters
from talent.models import ClinicianProfile
from talent.selectors.clinicians import HEE, TRAINING_BODY, records_shared_with


@dataclass(frozen=True)
class ListQuestion:
    """The filters of a list that the roll-ups can answer, narrowing what the asking user may list."""

    region_id: int | None = None
    profession: str = ""
    career_stage: str = ""
    training_body_id: int | None = None
    min_interest_level: int | None = None
    early_career: bool | None = None
    stage: int = 0
    leaders: bool = False

    @property
    def narrowed(self) -> bool:
        """Filtered by more than the stage and leader flag (which the stored counts are kept by)."""
        return (
            self.region_id is not None
            or bool(self.profession)
            or bool(self.career_stage)
            or self.training_body_id is not None
            or self.min_interest_level is not None
            or self.early_career is not None
        )

    def q(self) -> Q:
        q = Q()
        if self.region_id is not None:
            q &= Q(region_id=self.region_id)
        if self.profession:
            q &= Q(profession=self.profession)
        if self.career_stage:
            q &= Q(career_stage=self.career_stage)
        if self.training_body_id is not None:
            q &= Q(training_body_id=self.training_body_id)
        if self.min_interest_level is not None:
            q &= Q(interest_level__gte=self.min_interest_level)
        if self.early_career is not None:
            q &= Q(early_career=self.early_career)
        if self.stage:
            q &= Q(stage__gte=self.stage)
        if self.leaders:
            q &= Q(leader=True)
        return q


def _administered_bodies(user: User) -> QuerySet:
    return TrainingBodyMembership.objects.filter(user=user)


def _stored_total(user: User, run: PipelineRollupRun, question: ListQuestion) -> int | None:
    """From the counts stored with the run's summaries of the user's scope (a training-body admin's bodies added
    up); None when there are none (a run written before they were stored, or an admin of no body)."""
    shared = records_shared_with(user)
    if shared == HEE:
        scopes = [f"region:{user.hee_region_id}" if user.hee_region_id else "national"]
    else:
        # The admin's bodies' summaries, named in the same query (`body:<id>`). A body made since the run has
        # none, and had nobody then.
        scopes = _administered_bodies(user).values(
            scope=Concat(Value("body:"), Cast("training_body_id", CharField()), output_field=CharField())
        )
    # A run that changed no figures stores none: each scope's latest stored up to the run are its figures.
    latest = (
        PipelineScopeSummary.objects.filter(scope=OuterRef("scope"), run_id__lte=run.pk)
        .order_by("-run_id")
        .values("run_id")[:1]
    )
    stored = list(
        PipelineScopeSummary.objects.filter(scope__in=scopes, run_id=Subquery(latest)).values_list(
            "summary__listed", flat=True
        )
    )
    if not stored or any(not isinstance(listed, dict) for listed in stored):
        return None
    return sum(
        n
        for listed in stored
        for stage, leader, n in listed.get(shared, [])
        if stage >= question.stage and (leader or not question.leaders)
    )


def _rollup_total(user: User, question: ListQuestion) -> int:
    shared = records_shared_with(user)
    if shared == HEE:
        visible = Q(shares_with_hee=True)
        if user.hee_region_id:
            visible &= Q(region_id=user.hee_region_id)
    else:
        visible = Q(
            shares_with_training_body=True,
            training_body_id__in=_administered_bodies(user).values("training_body_id"),
        )
    rows = PipelineListRollup.objects.filter(visible & question.q())
    return rows.aggregate(n=Sum("clinicians"))["n"] or 0


def _list_total(
    *, user: User, question: ListQuestion | None, rows: QuerySet, run: PipelineRollupRun | None
) -> ListTotal:
    if rows.query.is_empty() or records_shared_with(user) not in (HEE, TRAINING_BODY):
        return ListTotal(0, exact=True)
    run = run if run is not None else pipeline_latest_run()
    if question is None or run is None or pipeline_figures_stale(run):
        return planner_estimate(rows)
    count = None if question.narrowed else _stored_total(user, run, question)
    if count is None:
        count = _rollup_total(user, question)
    return ListTotal(count, exact=True, as_of=run.refreshed_at)


def clinicians_question(filters: Mapping) -> ListQuestion | None:
    """The question a `talent.filters.ClinicianFilter`'s cleaned data asks of the roll-ups; None when they cannot
    answer it (a search, or early interest since a date)."""
    if (filters.get("search") or "").strip() or filters.get("early_interest_since"):
        return None
    region, body = filters.get("region"), filters.get("training_body")
    level, early = filters.get("min_interest_level"), filters.get("early_career")
    return ListQuestion(
        region_id=region.pk if region is not None else None,
        profession=filters.get("profession") or "",
        career_stage=filters.get("career_stage") or "",
        training_body_id=body.pk if body is not None else None,
        min_interest_level=int(level) if level not in (None, "") else None,
        early_career={"true": True, "false": False}.get(early or ""),
    )


def clinicians_list_total(
    *, user: User, filters: Mapping, clinicians: QuerySet[ClinicianProfile], run: PipelineRollupRun | None = None
) -> ListTotal:
    """The total of the clinicians list and of the `clinicians/` API: `clinicians` is the list (already scoped by
    `clinicians_visible_to` and filtered), `filters` the cleaned data of the ClinicianFilter that filtered it."""
    return _list_total(user=user, question=clinicians_question(filters), rows=clinicians, run=run)


def drilldown_total(
    *,
    user: User,
    filters: PipelineFilters,
    drilldown: Drilldown,
    clinicians: QuerySet[ClinicianProfile],
    run: PipelineRollupRun | None = None,
) -> ListTotal:
    """The total of a drill-down list (`clinicians`, from `pipeline_drilldown`)."""
    trend_cell = bool(drilldown.event and drilldown.month)
    answerable = not (filters.specialty or filters.joined_from or filters.joined_to or trend_cell)
    question = (
        ListQuestion(
            region_id=filters.region_id,
            profession=filters.profession,
            career_stage=filters.career_stage,
            training_body_id=filters.training_body_id,
            early_career=True if filters.early_career else None,
            stage=int(drilldown.stage),
            leaders=drilldown.leaders,
        )
        if answerable
        else None
    )
    return _list_total(user=user, question=question, rows=clinicians, run=run)
