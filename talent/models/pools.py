"""Talent pools: clinicians invited into a pool for a role level, their readiness as the pool's owners assess it,
and talent reviews where the owners agree it (DESIGN.md section 4, "Readiness")."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Region, TrainingBody
from pathways.models import LeadershipRole, RoleLevel
from talent.models.clinicians import AppendOnlyModel, ClinicianProfile

# A pool is for a senior role: team-level roles are not succession planning.
POOL_ROLE_LEVELS = (RoleLevel.SERVICE, RoleLevel.ORGANISATION, RoleLevel.SYSTEM, RoleLevel.NATIONAL)


class Readiness(models.TextChoices):
    """Assessed by a pool's owners; distinct from the clinician's own readiness horizon."""

    READY_NOW = "ready_now", "Ready now"
    READY_1_2_YEARS = "ready_1_2_years", "Ready in 1 to 2 years"
    READY_3_PLUS_YEARS = "ready_3_plus_years", "Ready in 3 or more years"
    DEVELOP_IN_ROLE = "develop_in_role", "Develop in current role"


class TalentPool(models.Model):
    """Owned by one training body, or by one HEE region, or national when neither is set."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=150)
    purpose = models.TextField()
    training_body = models.ForeignKey(
        TrainingBody, on_delete=models.CASCADE, null=True, blank=True, related_name="talent_pools"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="talent_pools")
    role_level = models.CharField(max_length=16, choices=[(v, RoleLevel(v).label) for v in POOL_ROLE_LEVELS])
    professions = models.JSONField(default=list, blank=True, help_text="Profession codes; empty means any.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(training_body__isnull=True) | models.Q(region__isnull=True),
                name="talentpool_one_owner",
            ),
            models.CheckConstraint(condition=models.Q(role_level__in=POOL_ROLE_LEVELS), name="talentpool_level_valid"),
            models.CheckConstraint(condition=~models.Q(purpose=""), name="talentpool_purpose_required"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_name(self) -> str:
        if self.training_body_id:
            return self.training_body.name
        if self.region_id:
            return f"HEE {self.region.name}"
        return "HEE national"


class MembershipState(models.TextChoices):
    INVITED = "invited", "Invited"
    REQUESTED = "requested", "Asked to join"
    ACTIVE = "active", "Member"
    DECLINED = "declined", "Declined"
    LEFT = "left", "Left"


# One of these per clinician and pool at a time; after declining or leaving a clinician may be invited again.
LIVE_MEMBERSHIP_STATES = (MembershipState.INVITED, MembershipState.REQUESTED, MembershipState.ACTIVE)


class PoolMembership(models.Model):
    """A clinician in a pool: never listed before they accept an invitation or an owner accepts their request."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="pool_memberships")
    state = models.CharField(max_length=16, choices=MembershipState.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invitation_note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    responded_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    readiness = models.CharField(max_length=24, choices=Readiness.choices, blank=True, default="")
    # The leadership role the readiness is for, at the pool's role level; empty means the level in general.
    target_role = models.ForeignKey(LeadershipRole, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    readiness_evidence = models.TextField(blank=True, default="")
    readiness_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    readiness_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=MembershipState.values), name="poolmember_state_valid"),
            models.UniqueConstraint(
                fields=["pool", "profile"],
                condition=models.Q(state__in=LIVE_MEMBERSHIP_STATES),
                name="poolmember_one_live_per_pool",
            ),
            models.CheckConstraint(
                condition=models.Q(readiness="") | models.Q(readiness__in=Readiness.values),
                name="poolmember_readiness_valid",
            ),
            # Only a member is assessed, and an assessment says who made it and when.
            models.CheckConstraint(
                condition=models.Q(readiness="", readiness_at__isnull=True)
                | (~models.Q(readiness="") & models.Q(readiness_at__isnull=False)),
                name="poolmember_readiness_dated",
            ),
            models.CheckConstraint(
                condition=models.Q(state=MembershipState.LEFT, left_at__isnull=False)
                | (~models.Q(state=MembershipState.LEFT) & models.Q(left_at__isnull=True)),
                name="poolmember_left_iff_left_at",
            ),
        ]
        indexes = [models.Index(fields=["pool", "state"]), models.Index(fields=["profile", "state"])]

    def __str__(self) -> str:
        return f"{self.pool} ({self.get_state_display()})"


class ReadinessChange(AppendOnlyModel):
    """Every change of a member's assessed readiness: who, when, from what, to what (and the review, if any)."""

    membership = models.ForeignKey(PoolMembership, on_delete=models.CASCADE, related_name="readiness_changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    from_readiness = models.CharField(max_length=24, choices=Readiness.choices, blank=True)
    to_readiness = models.CharField(max_length=24, choices=Readiness.choices)
    review = models.ForeignKey("TalentReview", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-changed_at"]


class TalentReview(models.Model):
    """A calibration of one pool: owners agree each member's readiness; it closes once and is then read-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="reviews")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool"], condition=models.Q(closed_at__isnull=True), name="talentreview_one_open_per_pool"
            ),
            models.CheckConstraint(
                condition=models.Q(closed_at__isnull=True, closed_by__isnull=True) | models.Q(closed_at__isnull=False),
                name="talentreview_closed_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.pool} opened {self.opened_at:%Y-%m-%d}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class ReviewRating(models.Model):
    """One member's readiness in a review: the rating they came in with, the agreed one, who agreed it and when.
    `version` counts agreements, so an owner who rated from an older page is told who changed it since."""

    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="ratings")
    membership = models.ForeignKey(PoolMembership, on_delete=models.CASCADE, related_name="review_ratings")
    original_readiness = models.CharField(max_length=24, choices=Readiness.choices, blank=True)
    agreed_readiness = models.CharField(max_length=24, choices=Readiness.choices)
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    agreed_at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "membership"], name="reviewrating_one_per_member"),
            models.CheckConstraint(
                condition=models.Q(agreed_readiness__in=Readiness.values), name="reviewrating_agreed_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_agreed_readiness_display()} ({self.review})"
