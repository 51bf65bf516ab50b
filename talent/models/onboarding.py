"""Onboarding answers not yet confirmed."""

from django.conf import settings
from django.db import models


class OnboardingDraft(models.Model):
    """The answers a clinician has given on the onboarding question pages, and the page to bring them back to, kept
    in the database so that signing out (or a session expiring) loses nothing. Deleted when they confirm and the
    profile is created, or when they delete their account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="onboarding_draft"
    )
    answers = models.JSONField(default=dict)
    # The page they were sent to after their last answer: a question page's step, or "check" (check your answers).
    step = models.CharField(max_length=32)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Onboarding answers not yet confirmed (at {self.step})"
