"""Fixtures for 360 feedback, available to the whole suite (the permission matrix included).

`feedback_round` is `clinician`'s open round with three peers asked; `closed_feedback_round` is their finished
round with a line manager and three peers who answered, shared with `training_body` (`tb_admin`'s).
`feedback_rater_link` is a link of the open round as its rater received it.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from talent.feedback_links import rater_link_token
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


def make_round(profile, *, closes_in_days: int = 14, raters=(), **fields) -> FeedbackRound:
    """A round of `profile` closing `closes_in_days` from today, asking `raters` ((email, group) pairs)."""
    feedback_round = FeedbackRound.objects.create(
        profile=profile, closes_on=timezone.localdate() + timedelta(days=closes_in_days), **fields
    )
    for email, group in raters:
        FeedbackRater.objects.create(round=feedback_round, email=email, group=group)
    return feedback_round


def submit_answer(
    rater: FeedbackRater, ratings: dict[str, int | None] | int | None = 3, *, does_well="", could_do_more_of=""
) -> FeedbackAnswer:
    """The rater's submitted answer, as the service leaves it; `ratings` one value for every dimension or a map."""
    now = timezone.now()
    values = ratings if isinstance(ratings, dict) else dict.fromkeys(Dimension.values, ratings)
    answer = FeedbackAnswer.objects.create(
        rater=rater,
        status=FeedbackAnswerStatus.SUBMITTED,
        submitted_at=now,
        does_well=does_well,
        could_do_more_of=could_do_more_of,
    )
    FeedbackRating.objects.bulk_create(
        [FeedbackRating(answer=answer, dimension=dimension, rating=value) for dimension, value in values.items()]
    )
    FeedbackRater.objects.filter(pk=rater.pk).update(link_state=RaterLinkState.USED, answered_at=now)
    rater.refresh_from_db()
    return answer


@pytest.fixture
def feedback_round(clinician):
    return make_round(
        clinician.clinician_profile,
        raters=[(f"peer{n}@example.org", RaterGroup.PEER) for n in range(1, 4)],
    )


@pytest.fixture
def closed_feedback_round(clinician, training_body):
    feedback_round = make_round(
        clinician.clinician_profile,
        closes_in_days=-1,
        raters=[("manager@example.org", RaterGroup.LINE_MANAGER)]
        + [(f"colleague{n}@example.org", RaterGroup.PEER) for n in range(1, 4)],
        opened_at=timezone.now() - timedelta(days=20),
        shared_with=training_body,
        shared_at=timezone.now(),
    )
    for rater in feedback_round.raters.all():
        submit_answer(rater, 3, does_well=f"Listens well ({rater.group})")
    return feedback_round


@dataclass(frozen=True)
class RaterLinkFixture:
    rater: FeedbackRater
    token: str


@pytest.fixture
def feedback_rater_link(feedback_round):
    rater = feedback_round.raters.first()
    return RaterLinkFixture(rater, rater_link_token(rater_id=rater.pk))
