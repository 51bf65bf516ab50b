"""Demo data: a finished 360 feedback round for `clinician@demo.test`, with enough answers for a report that shows
every rule at work: the line manager shown alone (and labelled), peers and direct reports as groups, one "other"
folded into the smallest group, a rater who never answered, and comments (idempotent: nothing is added once the
clinician has a round)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from talent.models import (
    Dimension,
    FeedbackAnswer,
    FeedbackAnswerStatus,
    FeedbackRater,
    FeedbackRating,
    FeedbackRound,
    RaterGroup,
    RaterLinkState,
)

DEMO_RATERS = [
    ("line.manager@example.org", RaterGroup.LINE_MANAGER),
    *((f"peer{n}@example.org", RaterGroup.PEER) for n in range(1, 5)),
    *((f"direct.report{n}@example.org", RaterGroup.DIRECT_REPORT) for n in range(1, 4)),
    ("practice.manager@example.org", RaterGroup.OTHER),
    ("no.answer@example.org", RaterGroup.PEER),
]
DOES_WELL = [
    "Always makes time to explain the reasons behind a change on the ward.",
    "Calm and kind when the department is under pressure.",
    "Brings the whole team into decisions, including the newest staff.",
    "Uses audit data well to make the case for improvements.",
    "",
]
COULD_DO_MORE_OF = [
    "Speak up more in directorate meetings: people listen when you do.",
    "Follow up on agreed actions so they do not drift.",
    "Delegate more, so that others can develop.",
    "",
]


@transaction.atomic
def demo_feedback_seed(*, clinician: User, seed: int = 20261126) -> FeedbackRound | None:
    """The clinician's finished round (closed 5 days ago) and its answers; None when they already have one."""
    profile = clinician.clinician_profile
    if profile.feedback_rounds.exists():
        return None
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    now = timezone.now()
    feedback_round = FeedbackRound.objects.create(
        profile=profile, opened_at=now - timedelta(days=35), closes_on=timezone.localdate() - timedelta(days=5)
    )
    for email, group in DEMO_RATERS:
        rater = FeedbackRater.objects.create(
            round=feedback_round, email=email, group=group, invited_at=feedback_round.opened_at
        )
        if email.startswith("no.answer"):
            continue
        answered_at = feedback_round.opened_at + timedelta(days=rng.randint(1, 25), hours=rng.randint(0, 10))
        answer = FeedbackAnswer.objects.create(
            rater=rater,
            status=FeedbackAnswerStatus.SUBMITTED,
            submitted_at=answered_at,
            does_well=rng.choice(DOES_WELL),
            could_do_more_of=rng.choice(COULD_DO_MORE_OF),
        )
        FeedbackRating.objects.bulk_create(
            [
                # Now and then a rater has not seen a dimension of their work.
                FeedbackRating(
                    answer=answer, dimension=d, rating=None if rng.random() < 0.08 else rng.choice([2, 3, 3, 4])
                )
                for d in Dimension.values
            ]
        )
        rater.link_state, rater.answered_at = RaterLinkState.USED, answered_at
        rater.save(update_fields=["link_state", "answered_at"])
    return feedback_round
