"""Nominations for development opportunities, and the training body that decides them (DESIGN.md section 4)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import TrainingBody
from pathways.models import Opportunity
from talent.models.clinicians import ClinicianProfile


class NominationState(models.TextChoices):
    PENDING_NOMINEE = "pending_nominee", "Waiting for the nominee to accept"
    SUBMITTED = "submitted", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Not approved"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A clinician has at most one of these per opportunity; after a rejection or withdrawal they may apply again.
LIVE_NOMINATION_STATES = (NominationState.PENDING_NOMINEE, NominationState.SUBMITTED, NominationState.APPROVED)
FINAL_NOMINATION_STATES = (NominationState.APPROVED, NominationState.REJECTED, NominationState.WITHDRAWN)


class NominationOutcome(models.TextChoices):
    """What became of an approved nomination, as its training body records it."""

    COMPLETED = "completed", "Completed"
    WITHDREW = "withdrew", "Withdrew"
    DID_NOT_TAKE_UP = "did_not_take_up", "Did not take up the place"


class NominationRoute(models.TextChoices):
    APPLICATION = "application", "Applied"
    NOMINATION = "nomination", "Nominated by their training body"


class Nomination(models.Model):
    """A clinician put forward for an opportunity: by applying, or by a training-body admin nominating them.

    The training body that decides is fixed when the nomination is made (the clinician's body at the time), so
    moving body later does not move the decision. State changes go through talent.services.nominations only.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="nominations")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.PROTECT, related_name="nominations")
    training_body = models.ForeignKey(TrainingBody, on_delete=models.PROTECT, related_name="nominations")
    route = models.CharField(max_length=16, choices=NominationRoute.choices)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    supporting_statement = models.TextField()
    state = models.CharField(max_length=16, choices=NominationState.choices)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # What became of it once approved: recorded, and corrected if need be, by the body's admins.
    outcome = models.CharField(max_length=16, choices=NominationOutcome.choices, blank=True, default="")
    outcome_on = models.DateField(null=True, blank=True, help_text="The day it was completed, left or turned down.")
    outcome_note = models.TextField(blank=True, default="")
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=NominationState.values), name="nomination_state_valid"),
            models.CheckConstraint(condition=models.Q(route__in=NominationRoute.values), name="nomination_route_valid"),
            models.UniqueConstraint(
                fields=["profile", "opportunity"],
                condition=models.Q(state__in=LIVE_NOMINATION_STATES),
                name="nomination_one_live_per_opportunity",
            ),
            models.CheckConstraint(condition=~models.Q(supporting_statement=""), name="nomination_statement_required"),
            # Applications start submitted; only a training body's nomination waits for the nominee.
            models.CheckConstraint(
                condition=~models.Q(state=NominationState.PENDING_NOMINEE, route=NominationRoute.APPLICATION),
                name="nomination_only_body_nominations_await_nominee",
            ),
            models.CheckConstraint(
                condition=models.Q(state=NominationState.PENDING_NOMINEE)
                | models.Q(submitted_at__isnull=False)
                | models.Q(state=NominationState.WITHDRAWN),
                name="nomination_submitted_has_time",
            ),
            # A decision is dated; only approved and rejected nominations have one, and a rejection says why.
            models.CheckConstraint(
                condition=(
                    models.Q(state__in=[NominationState.APPROVED, NominationState.REJECTED], decided_at__isnull=False)
                    | (
                        ~models.Q(state__in=[NominationState.APPROVED, NominationState.REJECTED])
                        & models.Q(decided_at__isnull=True)
                    )
                ),
                name="nomination_decided_iff_decision",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=NominationState.REJECTED) | ~models.Q(decision_reason=""),
                name="nomination_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(state=NominationState.WITHDRAWN, withdrawn_at__isnull=False)
                    | (~models.Q(state=NominationState.WITHDRAWN) & models.Q(withdrawn_at__isnull=True))
                ),
                name="nomination_withdrawn_iff_withdrawal",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(outcome__in=NominationOutcome.values),
                name="nomination_outcome_valid",
            ),
            # Only an approved nomination has an outcome, and an outcome is dated and says when it was recorded.
            models.CheckConstraint(
                condition=models.Q(outcome="") | models.Q(state=NominationState.APPROVED),
                name="nomination_outcome_only_when_approved",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(outcome="", outcome_on__isnull=True, outcome_recorded_at__isnull=True, outcome_note="")
                    | (~models.Q(outcome="") & models.Q(outcome_on__isnull=False, outcome_recorded_at__isnull=False))
                ),
                name="nomination_outcome_dated",
            ),
        ]
        indexes = [
            # The training body's queue: its nominations waiting for a decision, oldest first.
            models.Index(fields=["training_body", "state", "submitted_at"]),
            models.Index(fields=["opportunity", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} ({self.get_state_display()})"

    @property
    def is_final(self) -> bool:
        return self.state in FINAL_NOMINATION_STATES
