"""Career conversations between a training body and a consenting clinician of theirs, and clinicians' requests for
one (DESIGN.md section 3: the free text here is never shown to HEE staff, who see counts only)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import TrainingBody
from talent.models.clinicians import ClinicianProfile


class ConversationResponse(models.TextChoices):
    """What the clinician said of the body's account of the conversation."""

    CONFIRMED = "confirmed", "Confirmed by the clinician"
    DISPUTED = "disputed", "Disputed by the clinician"


class CareerConversation(models.Model):
    """One conversation as the body's admin recorded it. The body's account is never changed afterwards: a clinician
    who disagrees disputes it and gives their own version beside it, so both stay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="career_conversations")
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="career_conversations")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField()
    participants = models.CharField(max_length=500)
    aspirations = models.TextField(help_text="The clinician's aspirations, in their words.")
    next_conversation_on = models.DateField(null=True, blank=True)
    response = models.CharField(max_length=16, choices=ConversationResponse.choices, blank=True, default="")
    clinician_comment = models.TextField(blank=True, default="")
    # The clinician's own account, kept beside the body's when they dispute it.
    clinician_version = models.TextField(blank=True, default="")
    responded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(response="") | models.Q(response__in=ConversationResponse.values),
                name="conversation_response_valid",
            ),
            models.CheckConstraint(condition=~models.Q(participants=""), name="conversation_participants_given"),
            models.CheckConstraint(condition=~models.Q(aspirations=""), name="conversation_aspirations_given"),
            models.CheckConstraint(
                condition=models.Q(next_conversation_on__isnull=True)
                | models.Q(next_conversation_on__gte=models.F("held_on")),
                name="conversation_next_not_before_held",
            ),
            models.CheckConstraint(
                condition=(models.Q(response="") & models.Q(responded_at__isnull=True))
                | (~models.Q(response="") & models.Q(responded_at__isnull=False)),
                name="conversation_response_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(response=ConversationResponse.DISPUTED) | ~models.Q(clinician_version=""),
                name="conversation_dispute_has_version",
            ),
        ]
        indexes = [models.Index(fields=["training_body", "held_on"]), models.Index(fields=["profile", "held_on"])]

    def __str__(self) -> str:
        return f"Career conversation on {self.held_on:%Y-%m-%d}"


class AgreedAction(models.Model):
    """Something agreed in a conversation: what, who does it, and by when."""

    conversation = models.ForeignKey(CareerConversation, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(max_length=500)
    owner = models.CharField(max_length=200)
    due_on = models.DateField()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(description=""), name="agreed_action_described"),
            models.CheckConstraint(condition=~models.Q(owner=""), name="agreed_action_has_owner"),
            models.UniqueConstraint(fields=["conversation", "position"], name="agreed_action_position_unique"),
        ]

    def __str__(self) -> str:
        return self.description


class ConversationRequest(models.Model):
    """A clinician asking their body for a career conversation. Answered when the body records one with them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="conversation_requests")
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="conversation_requests")
    message = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(
        CareerConversation, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "training_body"],
                condition=models.Q(answered_at__isnull=True),
                name="conversation_request_one_open",
            ),
        ]
        indexes = [models.Index(fields=["training_body", "answered_at"])]

    def __str__(self) -> str:
        return f"Request of {self.created_at:%Y-%m-%d}"
