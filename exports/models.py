"""Exports a person asked for: a list too long to send while they wait, built by a worker into a file that only
they may download until it expires (`exports.services`)."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone


class ExportKind(models.TextChoices):
    PIPELINE_CLINICIANS = "pipeline_clinicians", "Talent pipeline: clinicians"


class ExportState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    BUILDING = "building", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


def exports_storage():
    """Where files are kept: the `exports` storage of settings.STORAGES (local files, or object storage when
    configured), looked up when used so that settings can change it."""
    return storages["exports"]


class Export(models.Model):
    # Not a sequence: the address of a download must not be guessable (DESIGN.md section 6).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    kind = models.CharField(max_length=40, choices=ExportKind.choices)
    filters = models.JSONField(default=dict, blank=True, help_text="The filters of the address, as given.")
    description = models.CharField(max_length=300, help_text="Which list, in words.")
    scope_description = models.TextField(help_text="The scope and every filter, in words.")
    scope = models.JSONField(default=dict, blank=True, help_text="What the person could see when it was made.")
    state = models.CharField(max_length=16, choices=ExportState.choices, default=ExportState.QUEUED)
    message = models.TextField(blank=True, help_text="Why it failed, for the person who asked.")
    error = models.TextField(blank=True, help_text="The error behind a failure, for the service's operators.")
    attempts = models.PositiveSmallIntegerField(default=0)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(storage=exports_storage, max_length=255, blank=True)
    figures_as_of = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="export_by_requester"),
            models.Index(fields=["state", "expires_at"], name="export_by_state"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=ExportState.values), name="export_state_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=ExportKind.values), name="export_kind_valid"),
            # A ready file is whole: its rows were counted and it has an expiry.
            models.CheckConstraint(
                condition=~models.Q(state=ExportState.READY)
                | (
                    models.Q(row_count__isnull=False, finished_at__isnull=False, expires_at__isnull=False)
                    & ~models.Q(file="")
                ),
                name="export_ready_has_its_file",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ExportState.FAILED) | ~models.Q(message=""), name="export_failed_says_why"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description} ({self.get_state_display()})"

    def downloadable(self, now=None) -> bool:
        return self.state == ExportState.READY and self.expires_at > (now or timezone.now())
