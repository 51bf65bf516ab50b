"""Follow-ups of nudges: each clinician a nudge named is an item for the body to act on, closed once by a recorded
conversation, a nomination, signposting, or no action with a reason (DESIGN.md section 4)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import TrainingBody
from pathways.models import Opportunity, Pathway
from talent.models.clinicians import ClinicianProfile
from talent.models.conversations import CareerConversation
from talent.models.nominations import Nomination
from talent.models.nudges import Nudge


class FollowUpOutcome(models.TextChoices):
    CONVERSATION = "conversation", "Career conversation recorded"
    NOMINATED = "nominated", "Nominated for an opportunity"
    SIGNPOSTED = "signposted", "Signposted to opportunities or pathways"
    NO_ACTION = "no_action", "No action"
    CONSENT_WITHDRAWN = "consent_withdrawn", "Consent withdrawn"


# What an admin may choose when closing; consent withdrawn only ever comes from the clinician.
ADMIN_OUTCOMES = (
    FollowUpOutcome.CONVERSATION,
    FollowUpOutcome.NOMINATED,
    FollowUpOutcome.SIGNPOSTED,
    FollowUpOutcome.NO_ACTION,
)


class NoActionReason(models.TextChoices):
    ALREADY_SUPPORTED = "already_supported", "Already supported in another way"
    NOT_WANTED = "not_wanted", "The clinician does not want support now"
    NOT_REACHED = "not_reached", "We could not reach the clinician"
    LEAVING = "leaving", "The clinician is leaving or has left"
    OTHER = "other", "Another reason"


class FollowUp(models.Model):
    """One clinician named in a nudge, for the nudged body to act on by `due_on`. Opened by the nudge dispatch; a
    clinician has at most one open item per body (a partial unique index), so naming them again adds none."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="follow_ups")
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="follow_ups")
    nudge = models.ForeignKey(Nudge, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups")
    opened_at = models.DateTimeField(default=timezone.now)
    due_on = models.DateField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=24, choices=FollowUpOutcome.choices, blank=True, default="")
    no_action_reason = models.CharField(max_length=24, choices=NoActionReason.choices, blank=True, default="")
    note = models.TextField(blank=True, default="")
    conversation = models.ForeignKey(
        CareerConversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="follow_ups"
    )
    nomination = models.ForeignKey(Nomination, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["due_on", "opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["training_body", "profile"],
                condition=models.Q(closed_at__isnull=True),
                name="follow_up_one_open_per_clinician",
            ),
            models.CheckConstraint(
                condition=(models.Q(closed_at__isnull=True) & models.Q(outcome=""))
                | (models.Q(closed_at__isnull=False) & models.Q(outcome__in=FollowUpOutcome.values)),
                name="follow_up_closed_iff_outcome",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(outcome=FollowUpOutcome.NO_ACTION) & models.Q(no_action_reason__in=NoActionReason.values)
                )
                | (~models.Q(outcome=FollowUpOutcome.NO_ACTION) & models.Q(no_action_reason="")),
                name="follow_up_no_action_has_reason",
            ),
        ]
        indexes = [
            # The body's open items by due date (lists, counts and the weekly reminder).
            models.Index(
                fields=["training_body", "due_on"],
                condition=models.Q(closed_at__isnull=True),
                name="follow_up_open_due",
            ),
            models.Index(fields=["profile", "closed_at"]),
        ]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on:%Y-%m-%d}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def is_overdue_on(self, day) -> bool:
        return self.closed_at is None and self.due_on < day


class Signpost(models.Model):
    """An opportunity or pathway a body pointed a clinician to; the clinician sees it on their home."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="signposts")
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="signposts")
    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, null=True, blank=True, related_name="signposts")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(opportunity__isnull=False) & models.Q(pathway__isnull=True))
                | (models.Q(opportunity__isnull=True) & models.Q(pathway__isnull=False)),
                name="signpost_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Signpost of {self.created_at:%Y-%m-%d}"
