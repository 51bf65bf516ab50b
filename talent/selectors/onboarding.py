"""Reads of the signed-in clinician's onboarding answers not yet confirmed."""

from accounts.models import User
from talent.models import OnboardingDraft


def onboarding_draft_of(user: User) -> OnboardingDraft | None:
    """The clinician's own unconfirmed onboarding answers, or None."""
    if not user.is_authenticated:
        return None
    return OnboardingDraft.objects.filter(user=user).first()
