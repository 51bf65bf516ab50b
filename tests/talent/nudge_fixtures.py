"""Fixtures for nudges, available to the whole suite (the permission matrix included).

`nudge` is a past weekly nudge of `training_body` naming `clinician` (who shares their record with that body).
"""

from datetime import timedelta

import factory
import pytest
from django.utils import timezone

from talent.models import Nudge, NudgeEntry, SignalKind


class NudgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nudge

    frequency = "weekly"
    period_end = factory.LazyFunction(lambda: timezone.now().replace(microsecond=0) - timedelta(days=1))
    period_start = factory.LazyAttribute(lambda nudge: nudge.period_end - timedelta(days=7))


class NudgeEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NudgeEntry

    signals = factory.LazyAttribute(
        lambda entry: [
            {"kind": SignalKind.INTEREST_RAISED, "at": (entry.nudge.period_start + timedelta(hours=30)).isoformat()}
        ]
    )
    opportunities = factory.LazyFunction(list)


@pytest.fixture
def nudge(training_body, clinician):
    nudge = NudgeFactory(training_body=training_body)
    NudgeEntryFactory(nudge=nudge, profile=clinician.clinician_profile)
    return nudge
