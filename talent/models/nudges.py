"""Nudges: the digest a training body receives on its schedule, listing its clinicians' early-interest signals
(DESIGN.md section 4)."""

import uuid

from django.db import models
from django.utils import timezone

from accounts.models import TrainingBody
from talent.models.clinicians import ClinicianProfile, SignalKind


class Nudge(models.Model):
    """One digest for one training body and one period. The unique period end makes "exactly once per body and
    period" a database fact, however often the dispatcher runs or however many run at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="nudges")
    # The frequency the body had chosen when the nudge was built (daily or weekly).
    frequency = models.CharField(max_length=16)
    period_start = models.DateTimeField()
    period_end = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-period_end"]
        constraints = [
            models.UniqueConstraint(fields=["training_body", "period_end"], name="nudge_one_per_body_and_period"),
            models.CheckConstraint(condition=models.Q(period_start__lt=models.F("period_end")), name="nudge_period"),
        ]

    def __str__(self) -> str:
        return f"{self.training_body} {self.period_start:%Y-%m-%d} to {self.period_end:%Y-%m-%d}"


class NudgeEntry(models.Model):
    """One clinician in a nudge: what they did in the period, and the open opportunities they were eligible for when
    it was built. Name, profession and stage are read from the profile when shown, and only while the clinician still
    shares their record with the body."""

    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="entries")
    # Deleting their account removes the clinician from past nudges too.
    profile = models.ForeignKey(ClinicianProfile, on_delete=models.CASCADE, related_name="nudge_entries")
    # [{"kind": SignalKind value, "at": ISO datetime}], oldest first.
    signals = models.JSONField(default=list)
    # [{"id", "title", "slug"}] of the open opportunities they were eligible for.
    opportunities = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nudge", "profile"], name="nudge_entry_one_per_clinician"),
        ]

    def __str__(self) -> str:
        return f"{len(self.signals)} signals"

    @property
    def what_they_did(self) -> list[str]:
        """Each kind of signal once, in plain words, with how many times when more than once."""
        counts: dict[str, int] = {}
        for signal in self.signals:
            counts[signal["kind"]] = counts.get(signal["kind"], 0) + 1
        labels = []
        for kind, count in counts.items():
            label = SignalKind(kind).label if kind in SignalKind.values else kind
            labels.append(f"{label} ({count} times)" if count > 1 else label)
        return labels
