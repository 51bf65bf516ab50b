"""Fixtures for follow-ups and career conversations, available to the whole suite (the permission matrix included).

`follow_up` is `training_body`'s open item for `clinician`, opened by `nudge`; `other_body_follow_up` is
`other_training_body`'s for `other_clinician`. `conversation` was recorded with `clinician` by `tb_admin`.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from talent.models import AgreedAction, CareerConversation, FollowUp
from tests.talent.nudge_fixtures import NudgeEntryFactory, NudgeFactory


def open_follow_up(*, profile, training_body, nudge=None, opened_days_ago: int = 3, due_in_days: int = 27) -> FollowUp:
    """An open item as the nudge dispatch would have left it."""
    now = timezone.now()
    return FollowUp.objects.create(
        training_body=training_body,
        profile=profile,
        nudge=nudge,
        opened_at=now - timedelta(days=opened_days_ago),
        due_on=timezone.localdate() + timedelta(days=due_in_days),
    )


def recorded_conversation(*, profile, training_body, admin=None, **extra) -> CareerConversation:
    today = timezone.localdate()
    fields = {
        "profile": profile,
        "training_body": training_body,
        "recorded_by": admin,
        "held_on": today - timedelta(days=2),
        "participants": "The clinician and their training programme director",
        "aspirations": "I would like to lead a service improvement project within two years.",
        "next_conversation_on": today + timedelta(days=90),
    }
    fields.update(extra)
    conversation = CareerConversation.objects.create(**fields)
    AgreedAction.objects.create(
        conversation=conversation,
        position=1,
        description="Join the quality improvement group",
        owner="The clinician",
        due_on=today + timedelta(days=30),
    )
    return conversation


@pytest.fixture
def follow_up(training_body, clinician, nudge):
    return open_follow_up(profile=clinician.clinician_profile, training_body=training_body, nudge=nudge)


@pytest.fixture
def other_body_follow_up(other_training_body, other_clinician):
    nudge = NudgeFactory(training_body=other_training_body)
    NudgeEntryFactory(nudge=nudge, profile=other_clinician.clinician_profile)
    return open_follow_up(profile=other_clinician.clinician_profile, training_body=other_training_body, nudge=nudge)


@pytest.fixture
def conversation(training_body, clinician, tb_admin):
    return recorded_conversation(profile=clinician.clinician_profile, training_body=training_body, admin=tb_admin)


@pytest.fixture
def other_body_conversation(other_training_body, other_clinician, other_tb_admin):
    return recorded_conversation(
        profile=other_clinician.clinician_profile, training_body=other_training_body, admin=other_tb_admin
    )
