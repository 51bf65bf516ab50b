"""Mentoring: clinicians in leadership roles offer to mentor, others ask, and the mentor accepts or declines."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from accounts.models import Region
from pathways.models import LeadershipRole
from talent.models.clinicians import ClinicianProfile

MENTORING_CAPACITY_MAX = 10
OFFER_ABOUT_MAX_LENGTH = 1000
REQUEST_MESSAGE_MAX_LENGTH = 1000
REQUEST_REPLY_MAX_LENGTH = 1000


class MentoringOffer(models.Model):
    """A clinician's offer to mentor: how many mentees at once, and whom (empty professions or regions: any)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    mentor = models.OneToOneField(ClinicianProfile, on_delete=models.CASCADE, related_name="mentoring_offer")
    capacity = models.PositiveSmallIntegerField()
    # Mentees now: kept by the services under the offer's row lock, so the constraint below holds capacity.
    mentee_count = models.PositiveSmallIntegerField(default=0, editable=False)
    professions = models.JSONField(default=list, blank=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="+")
    dimensions = models.JSONField(default=list, blank=True)
    target_roles = models.ManyToManyField(LeadershipRole, blank=True, related_name="+")
    about = models.TextField(max_length=OFFER_ABOUT_MAX_LENGTH, blank=True)
    is_open = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1, capacity__lte=MENTORING_CAPACITY_MAX),
                name="mentoring_offer_capacity_range",
            ),
            models.CheckConstraint(
                condition=models.Q(mentee_count__lte=models.F("capacity")),
                name="mentoring_offer_capacity_not_exceeded",
            ),
        ]
        indexes = [models.Index(fields=["is_open"], name="mentoring_offer_open_idx")]

    def __str__(self) -> str:
        return "Mentoring offer"

    @property
    def is_full(self) -> bool:
        return self.mentee_count >= self.capacity


class MentoringStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the mentor's answer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ENDED = "ended", "Ended"


# A mentee has at most one of these with the same mentor: asking again waits until it is over.
OPEN_MENTORING_STATUSES = (MentoringStatus.PENDING, MentoringStatus.ACCEPTED)


class MentoringRequest(models.Model):
    """A clinician's request for mentoring; once accepted, the mentoring relationship itself until either ends it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(MentoringOffer, on_delete=models.CASCADE, related_name="requests")
    # The offer's mentor, kept here so the database can refuse a request to oneself and two open ones.
    mentor = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="mentoring_requests_received")
    mentee = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="mentoring_requests_made")
    message = models.TextField(max_length=REQUEST_MESSAGE_MAX_LENGTH)
    status = models.CharField(max_length=16, choices=MentoringStatus.choices, default=MentoringStatus.PENDING)
    reply = models.TextField(max_length=REQUEST_REPLY_MAX_LENGTH, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=MentoringStatus.values), name="mentoring_request_status_valid"
            ),
            models.CheckConstraint(condition=~models.Q(mentor=models.F("mentee")), name="mentoring_not_oneself"),
            models.UniqueConstraint(
                fields=["mentor", "mentee"],
                condition=models.Q(status__in=OPEN_MENTORING_STATUSES),
                name="mentoring_one_open_request_per_mentor",
            ),
            models.CheckConstraint(
                condition=models.Q(status=MentoringStatus.PENDING) | models.Q(responded_at__isnull=False),
                name="mentoring_answer_dated",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=MentoringStatus.ENDED) | models.Q(ended_at__isnull=False),
                name="mentoring_end_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["mentor", "status"], name="mentoring_mentor_status_idx"),
            models.Index(fields=["mentee", "status"], name="mentoring_mentee_status_idx"),
        ]

    def __str__(self) -> str:
        return f"Mentoring request ({self.get_status_display().lower()})"


@receiver(post_delete, sender=MentoringRequest, dispatch_uid="talent.mentoring.free_place_of_deleted_mentee")
def _free_the_place_of_a_deleted_mentoring(sender, instance: MentoringRequest, **kwargs) -> None:
    """A mentee who deletes their account takes their accepted mentoring with them; the mentor's place is freed, so
    the count the capacity constraint holds stays the number of mentees."""
    if instance.status == MentoringStatus.ACCEPTED:
        MentoringOffer.objects.filter(pk=instance.offer_id, mentee_count__gt=0).update(
            mentee_count=models.F("mentee_count") - 1
        )
