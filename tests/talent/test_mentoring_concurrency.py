"""Two acceptances at once for a mentor's last place, on real PostgreSQL: each thread has its own connection and
they start together at a barrier. The offer's row lock lets exactly one mentee in; the other acceptance is refused
with a reason, and the mentor never has more mentees than they offered to take."""

import pytest
from django.db import connection

from config.errors import DomainError
from talent.models import MentoringOffer, MentoringRequest, MentoringStatus
from talent.services import mentoring as service
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory
from tests.talent.plan_fixtures import leader

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_acceptances_for_the_last_place_one_wins(training_body):
    assert connection.vendor == "postgresql"
    mentor = leader(training_body)
    offer = service.mentoring_offer_save(
        profile=mentor, capacity=1, professions=[], regions=[], dimensions=[], target_roles=[], about=""
    )
    requests = [
        service.mentoring_request_make(mentee=ClinicianProfileFactory(), offer=offer, message="Please.")
        for _ in range(2)
    ]

    results = race(
        *[lambda request=request: service.mentoring_accept(user=mentor.user, request=request) for request in requests]
    )

    winners = [r for r in results if isinstance(r, MentoringRequest)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(winners) == 1 and len(refused) == 1, results
    assert refused[0].conflict and "as many people as your offer says" in refused[0].message
    assert MentoringOffer.objects.get(pk=offer.pk).mentee_count == 1
    assert MentoringRequest.objects.filter(offer=offer, status=MentoringStatus.ACCEPTED).count() == 1


def test_the_same_acceptance_twice_at_once_counts_one_mentee(training_body):
    mentor = leader(training_body)
    offer = service.mentoring_offer_save(
        profile=mentor, capacity=3, professions=[], regions=[], dimensions=[], target_roles=[], about=""
    )
    request = service.mentoring_request_make(mentee=ClinicianProfileFactory(), offer=offer, message="Please.")

    results = race(*[lambda: service.mentoring_accept(user=mentor.user, request=request) for _ in range(2)])

    assert sum(isinstance(r, MentoringRequest) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and "already accepted" in r.message for r in results) == 1
    assert MentoringOffer.objects.get(pk=offer.pk).mentee_count == 1


def test_two_requests_to_the_same_mentor_at_once_make_one(training_body):
    mentor = leader(training_body)
    offer = service.mentoring_offer_save(
        profile=mentor, capacity=3, professions=[], regions=[], dimensions=[], target_roles=[], about=""
    )
    mentee = ClinicianProfileFactory()

    results = race(
        *[lambda: service.mentoring_request_make(mentee=mentee, offer=offer, message="Please.") for _ in range(2)]
    )

    assert sum(isinstance(r, MentoringRequest) for r in results) == 1, results
    assert sum(isinstance(r, DomainError) and r.conflict for r in results) == 1
    assert MentoringRequest.objects.filter(mentee=mentee).count() == 1
