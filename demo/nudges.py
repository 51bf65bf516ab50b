"""Demo data: a couple of past nudges for the demo training-body admin's body, so `tbadmin@demo.test` sees what a
nudge looks like before the first real one (idempotent: nothing is added once the body has nudges)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import NudgeFrequency, TrainingBody
from talent.models import Nudge, NudgeEntry, SignalKind
from talent.services.nudges import EligibleOpportunities, nudge_period

DEMO_NUDGES = 2
CLINICIANS_PER_NUDGE = 5


@transaction.atomic
def demo_nudges_seed(*, training_body: TrainingBody, seed: int = 20261126) -> int:
    """Build the body's last DEMO_NUDGES weekly nudges from its consenting clinicians. Returns how many were added."""
    if training_body.nudges.exists():
        return 0
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    consenting = list(
        training_body.clinicians.filter(shares_with_training_body=True, user__is_active=True)
        .select_related("user")
        .order_by("user__email")[: DEMO_NUDGES * CLINICIANS_PER_NUDGE]
    )
    if not consenting:
        return 0
    eligible = EligibleOpportunities(timezone.localdate())
    start, end = nudge_period(frequency=NudgeFrequency.WEEKLY, now=timezone.now())
    added = 0
    for week in range(DEMO_NUDGES):
        period_start, period_end = start - timedelta(weeks=week), end - timedelta(weeks=week)
        nudge = Nudge.objects.create(
            training_body=training_body,
            frequency=NudgeFrequency.WEEKLY,
            period_start=period_start,
            period_end=period_end,
            created_at=period_end + timedelta(minutes=5),
        )
        for profile in consenting[week::DEMO_NUDGES]:
            kinds = rng.sample(list(SignalKind.values), k=rng.randint(1, 2))
            signals = [
                {"kind": kind, "at": (period_start + timedelta(hours=rng.randint(8, 160))).isoformat()}
                for kind in kinds
            ]
            NudgeEntry.objects.create(
                nudge=nudge,
                profile=profile,
                signals=sorted(signals, key=lambda s: s["at"]),
                opportunities=eligible(profile),
            )
        added += 1
    return added
