"""The clinician's development plan: goals tied to Healthcare Leadership Model dimensions, actions towards them,
and dated reviews that keep the plan as it was."""

import uuid

from django.db import models
from django.utils import timezone

from pathways.models import Opportunity, PathwayStep
from talent.models.clinicians import AppendOnlyModel, ClinicianProfile, Dimension

GOAL_TITLE_MAX_LENGTH = 200
GOAL_DETAIL_MAX_LENGTH = 2000
ACTION_TEXT_MAX_LENGTH = 500
REVIEW_NOTE_MAX_LENGTH = 2000


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    ACHIEVED = "achieved", "Achieved"
    STOPPED = "stopped", "No longer working on it"


class ActionStatus(models.TextChoices):
    TO_DO = "to_do", "To do"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class DevelopmentPlan(models.Model):
    """One living plan per clinician, kept up to date by them and reviewed every PLAN_REVIEW_MONTHS."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.OneToOneField(ClinicianProfile, on_delete=models.CASCADE, related_name="development_plan")
    # Seen by the clinician's confirmed training body only while this is on and the clinician shares their record.
    shared_with_training_body = models.BooleanField(default=False)
    next_review_on = models.DateField()
    # The review date a reminder was last owed for, so each due review is reminded once however often the job runs.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["next_review_on"], name="plan_next_review_idx")]

    def __str__(self) -> str:
        return "Development plan"


class PlanGoal(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=GOAL_TITLE_MAX_LENGTH)
    detail = models.TextField(max_length=GOAL_DETAIL_MAX_LENGTH, blank=True)
    # Keys of talent.models.Dimension; at least one.
    dimensions = models.JSONField(default=list)
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=GoalStatus.choices, default=GoalStatus.NOT_STARTED)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=GoalStatus.values), name="plan_goal_status_valid"),
            models.CheckConstraint(condition=~models.Q(dimensions=[]), name="plan_goal_has_dimension"),
            models.CheckConstraint(condition=~models.Q(title=""), name="plan_goal_has_title"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def dimension_labels(self) -> list[str]:
        labels = dict(Dimension.choices)
        return [labels.get(key, key) for key in self.dimensions]


class PlanAction(models.Model):
    """A step towards a goal, optionally one of a pathway's steps or an opportunity."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    goal = models.ForeignKey(PlanGoal, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=ACTION_TEXT_MAX_LENGTH)
    pathway_step = models.ForeignKey(PathwayStep, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    target_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=ActionStatus.choices, default=ActionStatus.TO_DO)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ActionStatus.values), name="plan_action_status_valid"),
            models.CheckConstraint(condition=~models.Q(text=""), name="plan_action_has_text"),
            # One link at most, so "what this action is" reads as one thing.
            models.CheckConstraint(
                condition=models.Q(pathway_step__isnull=True) | models.Q(opportunity__isnull=True),
                name="plan_action_one_link",
            ),
        ]

    def __str__(self) -> str:
        return self.text


class PlanReview(AppendOnlyModel):
    """A dated review: the plan's goals and actions as they were, kept as written so later edits do not change it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(DevelopmentPlan, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField()
    note = models.TextField(max_length=REVIEW_NOTE_MAX_LENGTH, blank=True)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%Y-%m-%d}"
