"""Two owners agreeing the same member's readiness in one review at the same moment, on real PostgreSQL: each thread
has its own connection and they start together at a barrier. One rating stands; the other owner is told who agreed
it and when."""

import pytest
from django.db import connection

from config.errors import DomainError
from talent.models import Readiness, ReviewRating, TalentReview
from talent.services import pools as service
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.talent.pool_fixtures import make_member, make_pool

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_owners_rating_one_member_at_once_one_wins_and_the_other_is_told_who_and_when(training_body):
    assert connection.vendor == "postgresql"
    first = TrainingBodyAdminFactory(training_body=training_body, full_name="Ada Owner")
    second = TrainingBodyAdminFactory(training_body=training_body, full_name="Bo Owner")
    pool = make_pool(training_body=training_body)
    membership = make_member(pool, ClinicianProfileFactory(training_body=training_body))
    review = TalentReview.objects.create(pool=pool, opened_by=first)

    results = race(
        lambda: service.review_rate(user=first, review=review, membership=membership, readiness=Readiness.READY_NOW),
        lambda: service.review_rate(
            user=second, review=review, membership=membership, readiness=Readiness.DEVELOP_IN_ROLE
        ),
    )

    winners = [r for r in results if isinstance(r, ReviewRating)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    stored = ReviewRating.objects.select_related("agreed_by").get()
    assert stored.agreed_readiness == winners[0].agreed_readiness and stored.version == 1
    assert losers[0].conflict
    assert f"{stored.agreed_by.full_name} agreed {stored.get_agreed_readiness_display().lower()}" in losers[0].message
