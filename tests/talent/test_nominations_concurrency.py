"""Two admins deciding at the same moment, on real PostgreSQL: each thread has its own connection and they start
together at a barrier. Exactly one decision stands; the other admin is told who decided and when."""

import pytest
from django.db import connection

from config.errors import DomainError
from talent.models import Nomination, NominationState
from talent.services import nominations as service
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.talent.nomination_fixtures import nomination_in_state

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_approve_and_reject_at_once_exactly_one_stands(training_body, open_opportunity):
    assert connection.vendor == "postgresql"
    first = TrainingBodyAdminFactory(training_body=training_body, full_name="Ada Approver")
    second = TrainingBodyAdminFactory(training_body=training_body, full_name="Rex Rejecter")
    nomination = nomination_in_state(
        NominationState.SUBMITTED,
        profile=ClinicianProfileFactory(training_body=training_body),
        opportunity=open_opportunity,
    )

    results = race(
        lambda: service.nomination_approve(user=first, nomination=nomination),
        lambda: service.nomination_reject(user=second, nomination=nomination, reason="No places for ST3."),
    )

    winners = [r for r in results if isinstance(r, Nomination)]
    losers = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(losers) == 1, results
    final = Nomination.objects.select_related("decided_by").get(pk=nomination.pk)
    assert final.state == winners[0].state
    assert losers[0].conflict
    verb = "approved" if final.state == NominationState.APPROVED else "rejected"
    assert f"already {verb} by {final.decided_by.full_name} on " in losers[0].message


def test_two_approvals_of_the_same_nomination_one_wins(training_body, open_opportunity):
    admins = [TrainingBodyAdminFactory(training_body=training_body) for _ in range(2)]
    nomination = nomination_in_state(
        NominationState.SUBMITTED,
        profile=ClinicianProfileFactory(training_body=training_body),
        opportunity=open_opportunity,
    )

    results = race(
        *[lambda admin=admin: service.nomination_approve(user=admin, nomination=nomination) for admin in admins]
    )

    assert sum(isinstance(r, Nomination) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and "already approved by" in r.message for r in results) == 1


def test_two_approvals_racing_for_the_last_place(training_body, second_open_opportunity):
    """One place left: two admins approve two different nominations at once; only one gets the place."""
    second_open_opportunity.places = 1
    second_open_opportunity.save()
    admins = [TrainingBodyAdminFactory(training_body=training_body) for _ in range(2)]
    nominations = [
        nomination_in_state(
            NominationState.SUBMITTED,
            profile=ClinicianProfileFactory(training_body=training_body),
            opportunity=second_open_opportunity,
        )
        for _ in range(2)
    ]

    results = race(
        *[
            lambda admin=admin, nomination=nomination: service.nomination_approve(user=admin, nomination=nomination)
            for admin, nomination in zip(admins, nominations, strict=True)
        ]
    )

    assert sum(isinstance(r, Nomination) for r in results) == 1, results
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(refused) == 1 and "places on Second open fellowship are taken" in refused[0].message
    assert Nomination.objects.filter(opportunity=second_open_opportunity, state=NominationState.APPROVED).count() == 1
