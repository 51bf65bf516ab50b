"""Development plans: the only place a plan, its goals, actions and reviews are written.

A clinician has one plan, made when they add their first goal. Each change is audited; a review keeps the plan as it
was (PlanReview.snapshot) and sets the next review date PLAN_REVIEW_MONTHS later; a daily job reminds each due
review once (the plan remembers which review date it reminded, and the outbox key names it too).
"""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.audit import audit_record
from accounts.models import User
from accounts.outbox import OwedEmail, outbox_add_many, outbox_context_builder
from config.errors import DomainError
from pathways.models import ContentStatus, Opportunity, PathwayStep
from regulators.revalidation import add_months
from talent.models import (
    ActionStatus,
    ClinicianProfile,
    DevelopmentPlan,
    Dimension,
    GoalStatus,
    PlanAction,
    PlanGoal,
    PlanReview,
)
from talent.models.plans import (
    ACTION_TEXT_MAX_LENGTH,
    GOAL_DETAIL_MAX_LENGTH,
    GOAL_TITLE_MAX_LENGTH,
    REVIEW_NOTE_MAX_LENGTH,
)

REVIEW_DUE_KIND = "plan_review_due"
# Rows locked and reminded per transaction, so a large backlog never holds one long transaction.
REMINDER_BATCH = 500


def next_review_after(day: date) -> date:
    return add_months(day, settings.PLAN_REVIEW_MONTHS)


def _text(value: str, *, field: str, limit: int, what: str, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(f"Enter {what}", field=field)
    if len(value) > limit:
        raise DomainError(f"{what[0].upper()}{what[1:]} must be {limit} characters or fewer", field=field)
    return value


def _dimensions(dimensions) -> list[str]:
    """The dimensions as keys of the model, each once, in the model's order; at least one."""
    chosen = {str(key) for key in dimensions or []}
    if not chosen:
        raise DomainError("Select at least one leadership dimension this goal develops", field="dimensions")
    unknown = chosen - set(Dimension.values)
    if unknown:
        raise DomainError("Select leadership dimensions from the list", field="dimensions")
    return [key for key in Dimension.values if key in chosen]


def _target(target_on: date | None, *, field: str = "target_on", today: date | None = None) -> date | None:
    if target_on is not None and target_on < (today or timezone.localdate()):
        raise DomainError("The target date must be today or in the future", field=field)
    return target_on


def _plan_of(profile: ClinicianProfile) -> DevelopmentPlan:
    """The clinician's plan, made if they have none. Two first goals at once make one plan: the one-to-one constraint
    refuses the second, which then takes the first's. (No lock on the profile: the roll-up refresh writes profiles.)"""
    plan = DevelopmentPlan.objects.filter(profile=profile).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            plan = DevelopmentPlan.objects.create(
                profile=profile, next_review_on=next_review_after(timezone.localdate())
            )
    except IntegrityError:
        return DevelopmentPlan.objects.get(profile=profile)
    audit_record(actor=profile.user, action="plan.started", subject=plan)
    return plan


@transaction.atomic
def plan_goal_add(
    *,
    clinician: ClinicianProfile,
    title: str,
    dimensions: list[str],
    detail: str = "",
    target_on: date | None = None,
    actor: User | None = None,
) -> PlanGoal:
    """Add a goal to the clinician's plan (starting the plan if they have none). `dimensions` are keys of
    talent.models.Dimension (talent/assessment_content.py); at least one."""
    title = _text(title, field="title", limit=GOAL_TITLE_MAX_LENGTH, what="what you want to achieve", required=True)
    chosen = _dimensions(dimensions)
    detail = _text(detail, field="detail", limit=GOAL_DETAIL_MAX_LENGTH, what="the detail", required=False)
    target_on = _target(target_on)
    plan = _plan_of(clinician)
    goal = PlanGoal.objects.create(plan=plan, title=title, dimensions=chosen, detail=detail, target_on=target_on)
    audit_record(actor=actor or clinician.user, action="plan.goal_added", subject=goal, detail={"dimensions": chosen})
    return goal


@transaction.atomic
def plan_goal_update(
    *,
    goal: PlanGoal,
    title: str,
    dimensions: list[str],
    detail: str,
    target_on: date | None,
    status: str,
    actor: User,
) -> PlanGoal:
    title = _text(title, field="title", limit=GOAL_TITLE_MAX_LENGTH, what="what you want to achieve", required=True)
    chosen = _dimensions(dimensions)
    detail = _text(detail, field="detail", limit=GOAL_DETAIL_MAX_LENGTH, what="the detail", required=False)
    if status not in GoalStatus.values:
        raise DomainError("Select how the goal is going", field="status")
    # A target date already passed may stay as it was; a new one must be ahead.
    if target_on != goal.target_on:
        target_on = _target(target_on)
    goal.title, goal.dimensions, goal.detail, goal.target_on, goal.status = title, chosen, detail, target_on, status
    goal.save()
    audit_record(actor=actor, action="plan.goal_changed", subject=goal, detail={"status": status})
    return goal


def _link(pathway_step: PathwayStep | None, opportunity: Opportunity | None) -> None:
    if pathway_step is not None and opportunity is not None:
        raise DomainError("Link the action to a pathway step or an opportunity, not both", field="opportunity")
    if pathway_step is not None and pathway_step.pathway.status != ContentStatus.PUBLISHED:
        raise DomainError("Choose a step of a published pathway", field="pathway_step")
    if opportunity is not None and opportunity.status != ContentStatus.PUBLISHED:
        raise DomainError("Choose a published opportunity", field="opportunity")


@transaction.atomic
def plan_action_add(
    *,
    goal: PlanGoal,
    text: str,
    actor: User,
    pathway_step: PathwayStep | None = None,
    opportunity: Opportunity | None = None,
    target_on: date | None = None,
) -> PlanAction:
    text = _text(text, field="text", limit=ACTION_TEXT_MAX_LENGTH, what="what you will do", required=True)
    _link(pathway_step, opportunity)
    target_on = _target(target_on)
    action = PlanAction.objects.create(
        goal=goal, text=text, pathway_step=pathway_step, opportunity=opportunity, target_on=target_on
    )
    audit_record(actor=actor, action="plan.action_added", subject=action)
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    text: str,
    status: str,
    actor: User,
    pathway_step: PathwayStep | None = None,
    opportunity: Opportunity | None = None,
    target_on: date | None = None,
) -> PlanAction:
    text = _text(text, field="text", limit=ACTION_TEXT_MAX_LENGTH, what="what you will do", required=True)
    if status not in ActionStatus.values:
        raise DomainError("Select how the action is going", field="status")
    # A link kept as it was stays even if its content was since withdrawn; a new one must be published.
    if (pathway_step, opportunity) != (action.pathway_step, action.opportunity):
        _link(pathway_step, opportunity)
    if target_on != action.target_on:
        target_on = _target(target_on)
    action.text, action.status, action.target_on = text, status, target_on
    action.pathway_step, action.opportunity = pathway_step, opportunity
    action.save()
    audit_record(actor=actor, action="plan.action_changed", subject=action, detail={"status": status})
    return action


def plan_snapshot(plan: DevelopmentPlan) -> dict:
    """The plan's goals and actions as plain values, as a review keeps them."""
    goals = PlanGoal.objects.filter(plan=plan).prefetch_related(
        "actions__pathway_step__pathway", "actions__opportunity"
    )
    return {
        "goals": [
            {
                "title": goal.title,
                "detail": goal.detail,
                "dimensions": goal.dimensions,
                "dimension_labels": goal.dimension_labels,
                "target_on": goal.target_on.isoformat() if goal.target_on else None,
                "target_label": date_format(goal.target_on, "j F Y") if goal.target_on else "",
                "status": goal.status,
                "status_label": goal.get_status_display(),
                "actions": [
                    {
                        "text": action.text,
                        "target_on": action.target_on.isoformat() if action.target_on else None,
                        "target_label": date_format(action.target_on, "j F Y") if action.target_on else "",
                        "status": action.status,
                        "status_label": action.get_status_display(),
                        "link": (
                            f"{action.pathway_step.pathway.title}: {action.pathway_step.title}"
                            if action.pathway_step
                            else (action.opportunity.title if action.opportunity else "")
                        ),
                    }
                    for action in goal.actions.all()
                ],
            }
            for goal in goals
        ]
    }


@transaction.atomic
def plan_review_record(*, plan: DevelopmentPlan, note: str, actor: User, today: date | None = None) -> PlanReview:
    """Keep the plan as it is today and set the next review date."""
    today = today or timezone.localdate()
    note = _text(note, field="note", limit=REVIEW_NOTE_MAX_LENGTH, what="your note", required=False)
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    review = PlanReview.objects.create(plan=plan, reviewed_on=today, note=note, snapshot=plan_snapshot(plan))
    plan.next_review_on = next_review_after(today)
    plan.save(update_fields=["next_review_on", "updated_at"])
    audit_record(actor=actor, action="plan.reviewed", subject=plan, detail={"review": str(review.pk)})
    return review


@transaction.atomic
def plan_sharing_set(*, plan: DevelopmentPlan, shared: bool, actor: User) -> DevelopmentPlan:
    plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.shared_with_training_body != shared:
        plan.shared_with_training_body = shared
        plan.save(update_fields=["shared_with_training_body", "updated_at"])
        audit_record(actor=actor, action="plan.shared" if shared else "plan.unshared", subject=plan)
    return plan


def plan_review_reminders_send(*, today: date | None = None) -> int:
    """Owe one reminder for each plan whose review is due and not yet reminded. Returns how many were owed.

    Rows are claimed with SKIP LOCKED in batches and marked in the same transaction as their email, so concurrent
    runs share the work and a second run finds nothing left; the outbox key (plan and review date) makes a repeat
    write nothing even so.
    """
    today = today or timezone.localdate()
    owed = 0
    while True:
        with transaction.atomic():
            plans = list(
                DevelopmentPlan.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(next_review_on__lte=today, profile__account_active=True)
                .exclude(review_reminded_for=F("next_review_on"))
                .select_related("profile__user")
                .order_by("next_review_on", "pk")[:REMINDER_BATCH]
            )
            if not plans:
                return owed
            emails = [
                OwedEmail(
                    key=f"plan_review:{plan.pk}:{plan.next_review_on.isoformat()}",
                    kind=REVIEW_DUE_KIND,
                    to=plan.profile.user.email,
                    context={"plan": str(plan.pk), "due_on": plan.next_review_on.isoformat()},
                )
                for plan in plans
            ]
            outbox_add_many(emails)
            for plan in plans:
                plan.review_reminded_for = plan.next_review_on
            DevelopmentPlan.objects.bulk_update(plans, ["review_reminded_for"])
            owed += len(plans)


@outbox_context_builder(REVIEW_DUE_KIND)
def _review_due_context(context: dict) -> dict | None:
    """Send only while that review is still the one due (a review recorded meanwhile makes it moot)."""
    plan = DevelopmentPlan.objects.select_related("profile__user").filter(pk=context["plan"]).first()
    if plan is None or plan.next_review_on.isoformat() != context["due_on"] or not plan.profile.user.is_active:
        return None
    return {
        "recipient_name": plan.profile.user.full_name,
        "due_on": date_format(plan.next_review_on, "j F Y"),
        "path": reverse("talent:review_my_plan"),
    }


def plan_erase(*, profile: ClinicianProfile) -> None:
    """A clinician deleting their account takes their plan with them: goals and reviews are their own words and no
    count is made from them."""
    DevelopmentPlan.objects.filter(profile=profile).delete()
