"""Two admins closing the same follow-up at the same moment, and a nudge naming a clinician while another run names
them too, on real PostgreSQL: each thread has its own connection and they start together at a barrier."""

import pytest
from django.db import connection
from django.utils import timezone

from config.errors import DomainError
from pathways.models import ContentStatus
from talent.models import FollowUp, FollowUpOutcome, Signpost
from talent.services import followups as service
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.pathways.fixtures import _opportunity
from tests.talent.followup_fixtures import open_follow_up

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_admins_closing_at_once_one_wins_and_the_other_writes_nothing(training_body):
    assert connection.vendor == "postgresql"
    first = TrainingBodyAdminFactory(training_body=training_body, full_name="Ada Closer")
    second = TrainingBodyAdminFactory(training_body=training_body, full_name="Sam Signposter")
    opportunity = _opportunity(
        slug="open-course", title="Open course", opens_in_days=-1, closes_in_days=10, status=ContentStatus.PUBLISHED
    )
    item = open_follow_up(profile=ClinicianProfileFactory(training_body=training_body), training_body=training_body)

    results = race(
        lambda: service.follow_up_close(
            user=first, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="not_wanted"
        ),
        lambda: service.follow_up_close(
            user=second, follow_up=item, outcome=FollowUpOutcome.SIGNPOSTED, opportunity_ids=[opportunity.pk]
        ),
    )

    winners = [r for r in results if isinstance(r, FollowUp)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    assert losers[0].conflict
    final = FollowUp.objects.select_related("closed_by").get(pk=item.pk)
    assert f"already closed by {final.closed_by.full_name} on " in losers[0].message
    # The loser's signposts were never written.
    assert Signpost.objects.exists() is (final.outcome == FollowUpOutcome.SIGNPOSTED)


def test_two_runs_naming_the_same_clinician_open_one_item(training_body):
    profile = ClinicianProfileFactory(training_body=training_body)
    now = timezone.now()
    results = race(
        *[lambda: service.follow_ups_open(rows=[(training_body.pk, profile.pk, None)], now=now) for _ in range(2)]
    )

    assert not any(isinstance(r, Exception) for r in results), results
    assert FollowUp.objects.filter(profile=profile, closed_at__isnull=True).count() == 1
