"""Writes for onboarding answers not yet confirmed (the profile itself is `profile_create`'s)."""

from accounts.models import User
from talent.models import OnboardingDraft


def onboarding_draft_save(*, user: User, answers: dict, step: str) -> OnboardingDraft:
    """Keep the clinician's answers so far and the page to bring them back to."""
    draft, _ = OnboardingDraft.objects.update_or_create(user=user, defaults={"answers": answers, "step": step})
    return draft


def onboarding_draft_discard(*, user: User) -> None:
    OnboardingDraft.objects.filter(user=user).delete()
