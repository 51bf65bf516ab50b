"""A clinician's licence plan: whether they mean to keep their licence and practise while they lead, keep only their
registration, or have not decided (DESIGN.md section 4, "Readiness"). Each choice is a new row, so the history stays."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from talent.models.clinicians import AppendOnlyModel, ClinicianProfile

LICENCE_PLAN_NOTE_MAX_LENGTH = 1000


class LicencePlanChoice(models.TextChoices):
    KEEP_LICENCE = "keep_licence", "Keep my licence and keep practising"
    REGISTRATION_ONLY = "registration_only", "Keep my registration without a licence to practise"
    UNDECIDED = "undecided", "I have not decided yet"


class LicencePlan(AppendOnlyModel):
    """One choice, dated; the newest is the clinician's plan now. The note is the clinician's own: only they see it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="licence_plans")
    choice = models.CharField(max_length=24, choices=LicencePlanChoice.choices)
    note = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(choice__in=LicencePlanChoice.values), name="licenceplan_choice_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), LICENCE_PLAN_NOTE_MAX_LENGTH), name="licenceplan_note_length"
            ),
        ]
        indexes = [models.Index(fields=["profile", "-recorded_at"], name="licenceplan_latest")]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} ({self.recorded_at:%Y-%m-%d})"
