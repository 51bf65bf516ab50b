"""Reads of development plans: the clinician's own, and those shared with a training body's admins (never HEE's)."""

from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from pathways.models import ContentStatus, Opportunity, PathwayStep
from talent.models import (
    AssessmentStatus,
    ClinicianProfile,
    DevelopmentPlan,
    Dimension,
    PlanAction,
    PlanGoal,
    PlanReview,
    SelfAssessmentRating,
)
from talent.selectors.clinicians import TRAINING_BODY, clinicians_visible_to, records_shared_with

# The plan suggests at most this many of the dimensions rated lowest.
SUGGESTED_DIMENSIONS = 3


def _with_goals(plans: QuerySet[DevelopmentPlan]) -> QuerySet[DevelopmentPlan]:
    actions = PlanAction.objects.select_related("pathway_step__pathway", "opportunity")
    return plans.prefetch_related(
        Prefetch("goals", queryset=PlanGoal.objects.prefetch_related(Prefetch("actions", queryset=actions)))
    )


def own_plan(profile: ClinicianProfile) -> DevelopmentPlan | None:
    """The clinician's plan with its goals and their actions, or None before their first goal."""
    return _with_goals(DevelopmentPlan.objects.filter(profile=profile)).first()


def own_goal(profile: ClinicianProfile, goal_id) -> PlanGoal:
    goal = PlanGoal.objects.select_related("plan").filter(plan__profile=profile, pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    return goal


def own_action(profile: ClinicianProfile, action_id) -> PlanAction:
    action = (
        PlanAction.objects.select_related("goal", "pathway_step__pathway", "opportunity")
        .filter(goal__plan__profile=profile, pk=action_id)
        .first()
    )
    if action is None:
        raise Http404("No such action.")
    return action


def plan_reviews(plan: DevelopmentPlan) -> QuerySet[PlanReview]:
    return PlanReview.objects.filter(plan=plan).order_by("-reviewed_on", "-created_at")


def own_review(profile: ClinicianProfile, review_id) -> PlanReview:
    review = PlanReview.objects.filter(plan__profile=profile, pk=review_id).first()
    if review is None:
        raise Http404("No such review.")
    return review


def suggested_dimensions(profile: ClinicianProfile) -> list[str]:
    """The dimensions the clinician rated lowest in their latest completed self-assessment (ties in the model's
    order), at most SUGGESTED_DIMENSIONS; none before they complete one."""
    latest = (
        profile.self_assessments.filter(status=AssessmentStatus.COMPLETED).order_by("-completed_at").values("pk")[:1]
    )
    ratings = list(SelfAssessmentRating.objects.filter(assessment_id__in=latest).values_list("dimension", "rating"))
    if not ratings:
        return []
    lowest = min(rating for _, rating in ratings)
    rated_lowest = {dimension for dimension, rating in ratings if rating == lowest}
    return [key for key in Dimension.values if key in rated_lowest][:SUGGESTED_DIMENSIONS]


def shared_plan_for(user: User, profile_id) -> tuple[ClinicianProfile, DevelopmentPlan, list[PlanReview]]:
    """A plan its clinician shares with their training body, for an admin of that body; 404 for anything else (no
    plan, not shared, not their clinician, a clinician who stopped sharing their record). HEE staff never see plans."""
    if records_shared_with(user) != TRAINING_BODY:
        raise Http404("No such plan.")
    profile = clinicians_visible_to(user).filter(pk=profile_id).first()
    if profile is None:
        raise Http404("No such plan.")
    plan = _with_goals(DevelopmentPlan.objects.filter(profile=profile, shared_with_training_body=True)).first()
    if plan is None:
        raise Http404("No such plan.")
    return profile, plan, list(plan_reviews(plan))


def plan_shared_with(user: User, profile: ClinicianProfile) -> bool:
    """Whether the user (an admin of the clinician's body, on their record page) may open the clinician's plan."""
    return (
        records_shared_with(user) == TRAINING_BODY
        and DevelopmentPlan.objects.filter(profile=profile, shared_with_training_body=True).exists()
    )


def plan_review_due(profile: ClinicianProfile, today: date | None = None) -> dict | None:
    """For the clinician's home, in one query: their plan's next review date and whether it is due, or None."""
    row = DevelopmentPlan.objects.filter(profile=profile).values("next_review_on").first()
    if row is None:
        return None
    today = today or timezone.localdate()
    return {"next_review_on": row["next_review_on"], "due": row["next_review_on"] <= today}


def pathway_steps_for_actions() -> QuerySet[PathwayStep]:
    return (
        PathwayStep.objects.filter(pathway__status=ContentStatus.PUBLISHED)
        .select_related("pathway")
        .order_by("pathway__title", "order")
    )


def opportunities_for_actions() -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(status=ContentStatus.PUBLISHED).order_by("title")
