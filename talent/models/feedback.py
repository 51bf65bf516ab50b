"""360 feedback on the Healthcare Leadership Model (DESIGN.md section 4): a round the clinician opens, the people
they ask to rate them, and each rater's answer.

Raters have no account: each reaches their form by a signed link (talent.services.feedback). Ids are UUIDs because
raters and answers are personal data named in URLs. What the clinician may see of the answers (counts per group,
and a report only for groups of at least three) is decided in one place, talent.selectors.feedback.
"""

import uuid
from datetime import datetime, time, timedelta

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import TrainingBody
from talent.models.clinicians import ClinicianProfile, Dimension

FEEDBACK_MIN_DAYS = 7
FEEDBACK_MAX_DAYS = 42
FEEDBACK_MIN_RATERS = 3
FEEDBACK_MAX_RATERS = 20
# Rounds a clinician may have open at once: inviting is emailing strangers, so it is rate limited.
FEEDBACK_MAX_OPEN_ROUNDS = 3
# Days before the closing date on which raters who have not answered are reminded.
FEEDBACK_REMINDER_DAYS = (7, 2)
COMMENT_MAX_LENGTH = 2000


class RaterGroup(models.TextChoices):
    LINE_MANAGER = "line_manager", "Line manager"
    PEER = "peer", "Peer"
    DIRECT_REPORT = "direct_report", "Direct report"
    OTHER = "other", "Other"


class RaterLinkState(models.TextChoices):
    SENT = "sent", "Sent"
    OPENED = "opened", "Opened"
    USED = "used", "Used"


class FeedbackRound(models.Model):
    """A clinician's request for feedback: open until its closing date, or until they close it early."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="feedback_rounds")
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField(help_text="Raters can answer until the end of this day (UK time).")
    closed_early_at = models.DateTimeField(null=True, blank=True)
    # Sharing the report with the clinician's training body (that body at the time of sharing), withdrawable.
    shared_with = models.ForeignKey(TrainingBody, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    shared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shared_with__isnull=True, shared_at__isnull=True)
                | models.Q(shared_with__isnull=False, shared_at__isnull=False),
                name="feedback_round_shared_is_dated",
            ),
        ]
        indexes = [models.Index(fields=["profile", "closes_on"]), models.Index(fields=["closes_on"])]

    def __str__(self) -> str:
        return f"360 feedback round opened {self.opened_at:%Y-%m-%d}"

    @property
    def closes_at(self) -> datetime:
        """The end of the closing day, UK time: raters may answer all of that day."""
        return timezone.make_aware(datetime.combine(self.closes_on + timedelta(days=1), time.min))

    def is_open(self, *, now: datetime | None = None) -> bool:
        return self.closed_early_at is None and (now or timezone.now()) < self.closes_at


def open_rounds_q() -> models.Q:
    """Rounds still taking answers."""
    return models.Q(closed_early_at__isnull=True, closes_on__gte=timezone.localdate())


class FeedbackRater(models.Model):
    """Someone the clinician asked for feedback. The clinician sees only counts per group of who answered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(FeedbackRound, on_delete=models.CASCADE, related_name="raters")
    email = models.EmailField()
    group = models.CharField(max_length=16, choices=RaterGroup.choices)
    link_state = models.CharField(max_length=8, choices=RaterLinkState.choices, default=RaterLinkState.SENT)
    invited_at = models.DateTimeField(default=timezone.now)
    reminded_7_days_at = models.DateTimeField(null=True, blank=True)
    reminded_2_days_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint("round", Lower("email"), name="feedback_rater_unique_email_per_round"),
            models.CheckConstraint(condition=models.Q(group__in=RaterGroup.values), name="feedback_rater_group_valid"),
            models.CheckConstraint(
                condition=models.Q(link_state__in=RaterLinkState.values), name="feedback_rater_link_state_valid"
            ),
            # A used link is an answer submitted, and only then.
            models.CheckConstraint(
                condition=models.Q(link_state=RaterLinkState.USED, answered_at__isnull=False)
                | (~models.Q(link_state=RaterLinkState.USED) & models.Q(answered_at__isnull=True)),
                name="feedback_rater_used_iff_answered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_group_display()} rater"


class FeedbackAnswerStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class FeedbackAnswer(models.Model):
    """One rater's answer: a draft they may keep changing, then submitted once and for good."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    rater = models.OneToOneField(FeedbackRater, on_delete=models.CASCADE, related_name="answer")
    status = models.CharField(max_length=16, choices=FeedbackAnswerStatus.choices, default=FeedbackAnswerStatus.DRAFT)
    # varchar(n): the database itself refuses a longer comment.
    does_well = models.CharField(blank=True, max_length=COMMENT_MAX_LENGTH)
    could_do_more_of = models.CharField(blank=True, max_length=COMMENT_MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=FeedbackAnswerStatus.DRAFT, submitted_at__isnull=True)
                | models.Q(status=FeedbackAnswerStatus.SUBMITTED, submitted_at__isnull=False),
                name="feedback_answer_submitted_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"360 feedback answer ({self.get_status_display().lower()})"


class FeedbackRating(models.Model):
    """A rater's view of one dimension, on the self-assessment's scale; no rating means "not observed"."""

    answer = models.ForeignKey(FeedbackAnswer, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.CharField(max_length=40, choices=Dimension.choices)
    rating = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["answer", "dimension"], name="feedback_rating_unique_dimension"),
            models.CheckConstraint(
                condition=models.Q(rating__isnull=True) | models.Q(rating__gte=1, rating__lte=4),
                name="feedback_rating_range",
            ),
            models.CheckConstraint(
                condition=models.Q(dimension__in=Dimension.values), name="feedback_rating_dimension_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_dimension_display()}: {self.rating or 'not observed'}"
