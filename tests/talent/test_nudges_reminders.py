"""Reminders of nominations waiting for a decision more than 10 working days, at most once a week."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.models import OutboxMessage
from accounts.outbox import outbox_deliver
from talent import services
from talent.models import NominationState
from talent.services.reminders import working_days_before
from tests.factories import TrainingBodyAdminFactory
from tests.talent.nomination_fixtures import nomination_in_state

UK = ZoneInfo("Europe/London")
SUBMITTED = datetime(2026, 11, 2, 9, 0, tzinfo=UK)  # a Monday


@pytest.fixture
def waiting(clinician, open_opportunity, training_body):
    TrainingBodyAdminFactory(training_body=training_body, email="decider@body.example.nhs.uk")
    return nomination_in_state(
        NominationState.SUBMITTED,
        profile=clinician.clinician_profile,
        opportunity=open_opportunity,
        submitted_at=SUBMITTED,
    )


def reminders_on(day: date, hour: int = 7) -> list[OutboxMessage]:
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=UK), tick=False):
        services.nomination_reminders_send()
    return list(OutboxMessage.objects.exclude(pk__in=before).filter(kind="nomination_reminder"))


def test_working_days_skip_weekends():
    assert working_days_before(date(2026, 11, 16), 10) == date(2026, 11, 2)  # Monday to Monday, two weeks
    assert working_days_before(date(2026, 11, 17), 10) == date(2026, 11, 3)


def test_a_nomination_waiting_more_than_ten_working_days_reminds_the_body_once_a_week(waiting, training_body):
    """Submitted Monday 2 November: after ten full working days (Tuesday 17th) the admins and the contact address
    hear about it; not again until a week later, however often the job runs."""
    assert reminders_on(date(2026, 11, 16)) == []  # exactly ten working days: not yet more
    first = reminders_on(date(2026, 11, 17))
    assert sorted(m.to_email for m in first) == sorted(
        ["decider@body.example.nhs.uk", *training_body.contact_email_list]
    )
    assert reminders_on(date(2026, 11, 17), hour=20) == []  # the same day again
    assert reminders_on(date(2026, 11, 20)) == []
    assert reminders_on(date(2026, 11, 23)) == []  # six days later
    assert len(reminders_on(date(2026, 11, 24))) == 2  # a week later


def test_the_reminder_email_links_to_the_decision_page(waiting):
    [message, _] = reminders_on(date(2026, 11, 17))
    assert outbox_deliver(message_id=message.pk)
    [email] = mail.outbox
    assert "Open leadership programme" in email.subject
    assert f"/nominations/{waiting.pk}/" in email.body
    assert "2 November 2026" in email.body


def test_no_reminder_for_decided_nominations_even_if_already_owed(waiting):
    [message, _] = reminders_on(date(2026, 11, 17))
    waiting.state = NominationState.WITHDRAWN
    waiting.withdrawn_at = SUBMITTED + timedelta(days=16)
    waiting.save()

    assert outbox_deliver(message_id=message.pk) is False
    assert mail.outbox == []
    assert reminders_on(date(2026, 11, 25)) == []
