"""Fixtures for nominations, available to the whole suite (the permission matrix included).

`clinician` belongs to `training_body` (whose admin is `tb_admin`); each nomination below is theirs and decided by
`training_body`. `nomination_in_state` builds one in any state with the fields that state needs; `delivered_emails`
sends what the outbox owes, as the worker would.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import OutboxMessage, OutboxState
from accounts.outbox import outbox_deliver
from pathways.models import ContentStatus, Opportunity, OpportunityKind
from talent.models import Nomination, NominationRoute, NominationState
from tests.factories import NominationFactory


def nomination_in_state(
    state: str, *, profile, opportunity, admin=None, route: str | None = None, **extra
) -> Nomination:
    """A nomination of `profile` for `opportunity` in `state`, as the service would have left it."""
    now = timezone.now()
    route = route or (NominationRoute.NOMINATION if state == NominationState.PENDING_NOMINEE else "application")
    fields = {
        "profile": profile,
        "opportunity": opportunity,
        "training_body": profile.training_body,
        "route": route,
        "nominated_by": admin if route == NominationRoute.NOMINATION else profile.user,
        "state": state,
        "submitted_at": None if state == NominationState.PENDING_NOMINEE else now - timedelta(days=3),
        "created_at": now - timedelta(days=4),
    }
    if state in (NominationState.APPROVED, NominationState.REJECTED):
        fields.update(decided_by=admin, decided_at=now - timedelta(days=1))
        if state == NominationState.REJECTED:
            fields["decision_reason"] = "Places this year went to trainees further on in their programme."
    if state == NominationState.WITHDRAWN:
        fields.update(withdrawn_by=profile.user, withdrawn_at=now - timedelta(days=1))
    fields.update(extra)
    return NominationFactory(**fields)


def delivered_emails() -> list:
    """Send every email the outbox owes, as the worker would after a commit, and return all the emails sent."""
    for message_id in OutboxMessage.objects.filter(state=OutboxState.PENDING).values_list("pk", flat=True):
        assert outbox_deliver(message_id=message_id)
    return list(mail.outbox)


@pytest.fixture
def second_open_opportunity(db):
    """Another published opportunity open today for anyone, with two places."""
    today = timezone.localdate()
    return Opportunity.objects.create(
        slug="second-open-fellowship",
        title="Second open fellowship",
        provider="Example Faculty",
        kind=OpportunityKind.FELLOWSHIP,
        summary="A second open fellowship.",
        description="A test fellowship.",
        link="https://example.org/fellowship",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=25),
        places=2,
        status=ContentStatus.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def submitted_nomination(clinician, open_opportunity, tb_admin):
    """`clinician` applied for `open_opportunity`; waiting for `training_body` to decide."""
    return nomination_in_state(
        NominationState.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )


@pytest.fixture
def pending_nominee_nomination(clinician, second_open_opportunity, tb_admin):
    """`tb_admin` nominated `clinician` for `second_open_opportunity`; waiting for the clinician to accept."""
    return nomination_in_state(
        NominationState.PENDING_NOMINEE,
        profile=clinician.clinician_profile,
        opportunity=second_open_opportunity,
        admin=tb_admin,
    )


@pytest.fixture
def approved_nomination(clinician, open_opportunity, tb_admin):
    return nomination_in_state(
        NominationState.APPROVED, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )


@pytest.fixture
def other_body_nomination(other_clinician, open_opportunity, other_tb_admin):
    """`other_clinician` applied for `open_opportunity`; `other_training_body` decides."""
    return nomination_in_state(
        NominationState.SUBMITTED,
        profile=other_clinician.clinician_profile,
        opportunity=open_opportunity,
        admin=other_tb_admin,
    )
