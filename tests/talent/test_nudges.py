"""The nudge dispatcher: who is in a nudge, which period, exactly once, and what the email says at send time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import NudgeFrequency, OutboxMessage, OutboxState, Region
from accounts.outbox import outbox_deliver
from pathways.models import ContentStatus
from regulators.models import Regulator
from talent import services
from talent.demo_nudges import demo_nudges_seed
from talent.models import ConsentRecipient, EarlyInterestSignal, Nudge, NudgeEntry, SignalKind
from talent.services.nudges import nudge_period
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory, TrainingBodyFactory
from tests.pathways.fixtures import _opportunity

UK = ZoneInfo("Europe/London")
# A Wednesday. The weekly period before it runs Monday 16 to Monday 23 November; the daily one is 24 November.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
IN_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UK)
# Every test here runs on NOW's day, so the opportunities' windows and the clinicians' years are built from it.
_at_now = runs_at(NOW)


def signal(profile, at=IN_WEEK, kind=SignalKind.INTEREST_RAISED):
    return EarlyInterestSignal.objects.create(profile=profile, kind=kind, created_at=at)


def signals_of(entry) -> list[tuple[str, datetime]]:
    return [(s["kind"], datetime.fromisoformat(s["at"])) for s in entry.signals]


@pytest.fixture
def body(training_body):
    training_body.nudge_frequency = NudgeFrequency.WEEKLY
    training_body.save()
    return training_body


@pytest.fixture
def admin(body):
    return TrainingBodyAdminFactory(training_body=body, email="admin@body.example.nhs.uk")


@pytest.fixture
def nurse_only(db):
    return _opportunity(
        slug="nurses-only",
        title="Nurses only programme",
        opens_in_days=-30,
        closes_in_days=30,
        status=ContentStatus.PUBLISHED,
        professions=["nurse"],
    )


def test_period_maths_daily_and_weekly_in_uk_time():
    """Daily: yesterday, midnight to midnight; weekly: last Monday to this Monday; both in UK local time."""
    assert nudge_period(frequency="daily", now=NOW) == (
        datetime(2026, 11, 24, tzinfo=UK),
        datetime(2026, 11, 25, tzinfo=UK),
    )
    assert nudge_period(frequency="weekly", now=NOW) == (
        datetime(2026, 11, 16, tzinfo=UK),
        datetime(2026, 11, 23, tzinfo=UK),
    )
    # A Monday morning: the week that just ended.
    monday = datetime(2026, 11, 23, 0, 30, tzinfo=UK)
    assert nudge_period(frequency="weekly", now=monday)[1] == datetime(2026, 11, 23, tzinfo=UK)
    assert nudge_period(frequency="off", now=NOW) is None
    # The day the clocks go back has 25 hours; the period still runs midnight to midnight.
    start, end = nudge_period(frequency="daily", now=datetime(2026, 10, 26, 9, tzinfo=UK))
    assert (start, end) == (datetime(2026, 10, 25, tzinfo=UK), datetime(2026, 10, 26, tzinfo=UK))
    assert end.astimezone(ZoneInfo("UTC")) - start.astimezone(ZoneInfo("UTC")) == timedelta(hours=25)


@pytest.mark.parametrize(
    ("now", "daily", "weekly", "hours"),
    [
        # British Summer Time starts at 01:00 UTC on Sunday 28 March 2027: that day has 23 hours.
        (datetime(2027, 3, 29, 0, 30, tzinfo=UK), (28, 29), (22, 29), (23, 167)),
        # It ends at 01:00 UTC on Sunday 31 October 2027: that day has 25 hours.
        (datetime(2027, 11, 1, 0, 30, tzinfo=UK), (31, 1), (25, 1), (25, 169)),
    ],
)
def test_periods_across_a_clock_change_still_run_midnight_to_midnight(now, daily, weekly, hours):
    """A nudge sent the night after the clocks change covers that whole day and week, no hour missed or repeated."""
    utc = ZoneInfo("UTC")
    for frequency, (first_day, last_day), length in (("daily", daily, hours[0]), ("weekly", weekly, hours[1])):
        start, end = nudge_period(frequency=frequency, now=now)
        assert (start.day, end.day) == (first_day, last_day)
        assert start.time() == end.time() == datetime.min.time()
        assert end.astimezone(utc) - start.astimezone(utc) == timedelta(hours=length)


def test_the_nudge_lists_consenting_affiliated_clinicians_with_signals_in_the_period(
    body, admin, other_training_body, open_opportunity, nurse_only, closed_opportunity
):
    """Only clinicians of the body who share with it and did something in the period are listed, each with the open
    opportunities they could apply for."""
    listed = ClinicianProfileFactory(training_body=body, user__full_name="Asha Listed")
    signal(listed)
    signal(listed, at=IN_WEEK + timedelta(days=1), kind=SignalKind.PATHWAY_SAVED)
    private = ClinicianProfileFactory(training_body=body, shares_with_training_body=False)
    signal(private)
    elsewhere = ClinicianProfileFactory(training_body=other_training_body)
    signal(elsewhere)
    unaffiliated = ClinicianProfileFactory(training_body=None)
    signal(unaffiliated)
    quiet = ClinicianProfileFactory(training_body=body)
    signal(quiet, at=datetime(2026, 11, 15, 23, 59, tzinfo=UK))  # the day before the period
    signal(quiet, at=datetime(2026, 11, 23, 0, 0, tzinfo=UK))  # the period's end is not in it
    gone = ClinicianProfileFactory(training_body=body, user__is_active=False)
    signal(gone)

    nudges = {nudge.training_body: nudge for nudge in services.nudges_dispatch(now=NOW)}

    assert set(nudges) == {body, other_training_body}
    assert [entry.profile for entry in nudges[other_training_body].entries.all()] == [elsewhere]
    nudge = nudges[body]
    assert (nudge.period_start, nudge.period_end) == (
        datetime(2026, 11, 16, tzinfo=UK),
        datetime(2026, 11, 23, tzinfo=UK),
    )
    [entry] = NudgeEntry.objects.filter(nudge=nudge)
    assert entry.profile == listed
    assert [s["kind"] for s in entry.signals] == [SignalKind.INTEREST_RAISED, SignalKind.PATHWAY_SAVED]
    assert [o["title"] for o in entry.opportunities] == ["Open leadership programme"]
    assert entry.what_they_did == [SignalKind.INTEREST_RAISED.label, SignalKind.PATHWAY_SAVED.label]


def test_a_daily_and_a_weekly_body_due_together_each_get_their_own_period(body, admin, other_training_body):
    """A daily body and a weekly body nudged by the same run: each nudge lists its own clinicians and exactly the
    signals of its own period (yesterday for the daily one, last week for the weekly one), none lost, none swapped."""
    other_training_body.nudge_frequency = NudgeFrequency.DAILY
    other_training_body.save()
    yesterday = datetime(2026, 11, 24, 15, 0, tzinfo=UK)  # in the daily period only (the week ended on the 23rd)
    weekly_clinician = ClinicianProfileFactory(training_body=body)
    signal(weekly_clinician, at=IN_WEEK)
    signal(weekly_clinician, at=yesterday, kind=SignalKind.PATHWAY_SAVED)  # after the week: next week's nudge
    daily_clinician = ClinicianProfileFactory(training_body=other_training_body)
    signal(daily_clinician, at=IN_WEEK)  # before yesterday: not in a daily body's first nudge
    signal(daily_clinician, at=yesterday, kind=SignalKind.PATHWAY_SAVED)

    nudges = {nudge.training_body: nudge for nudge in services.nudges_dispatch(now=NOW)}

    assert set(nudges) == {body, other_training_body}
    weekly, daily = nudges[body], nudges[other_training_body]
    assert (weekly.frequency, weekly.period_start, weekly.period_end) == (
        NudgeFrequency.WEEKLY,
        datetime(2026, 11, 16, tzinfo=UK),
        datetime(2026, 11, 23, tzinfo=UK),
    )
    assert (daily.frequency, daily.period_start, daily.period_end) == (
        NudgeFrequency.DAILY,
        datetime(2026, 11, 24, tzinfo=UK),
        datetime(2026, 11, 25, tzinfo=UK),
    )
    [weekly_entry] = weekly.entries.all()
    assert weekly_entry.profile == weekly_clinician
    assert signals_of(weekly_entry) == [(SignalKind.INTEREST_RAISED, IN_WEEK)]
    [daily_entry] = daily.entries.all()
    assert daily_entry.profile == daily_clinician
    assert signals_of(daily_entry) == [(SignalKind.PATHWAY_SAVED, yesterday)]


def test_bodies_with_nothing_new_or_nudges_off_get_nothing(body, admin, other_training_body):
    other_training_body.nudge_frequency = NudgeFrequency.OFF
    other_training_body.save()
    signal(ClinicianProfileFactory(training_body=other_training_body))

    assert services.nudges_dispatch(now=NOW) == []
    assert not Nudge.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_one_nudge_per_body_and_period_however_often_the_dispatcher_runs(body, admin):
    profile = ClinicianProfileFactory(training_body=body)
    signal(profile)

    assert len(services.nudges_dispatch(now=NOW)) == 1
    assert services.nudges_dispatch(now=NOW) == []
    assert services.nudges_dispatch(now=NOW + timedelta(hours=5)) == []
    assert Nudge.objects.count() == 1
    assert OutboxMessage.objects.filter(kind="nudge").count() == 2  # the admin and the body's contact address

    # The next week's nudge covers the next week only.
    signal(profile, at=datetime(2026, 11, 24, 9, tzinfo=UK))
    [second] = services.nudges_dispatch(now=datetime(2026, 12, 1, 8, tzinfo=UK))
    assert (second.period_start, second.period_end) == (
        datetime(2026, 11, 23, tzinfo=UK),
        datetime(2026, 11, 30, tzinfo=UK),
    )
    assert len(second.entries.get().signals) == 1


def test_changing_frequency_never_reports_a_signal_twice(body, admin):
    """Weekly nudge sent on Monday; switched to daily on Wednesday: Tuesday's daily nudge starts where the weekly
    one ended, and a signal of last week is not repeated."""
    profile = ClinicianProfileFactory(training_body=body)
    signal(profile)
    services.nudges_dispatch(now=datetime(2026, 11, 23, 1, tzinfo=UK))
    body.nudge_frequency = NudgeFrequency.DAILY
    body.save()
    signal(profile, at=datetime(2026, 11, 24, 15, tzinfo=UK))

    [daily] = services.nudges_dispatch(now=NOW)

    assert (daily.period_start, daily.period_end) == (
        datetime(2026, 11, 24, tzinfo=UK),
        datetime(2026, 11, 25, tzinfo=UK),
    )
    assert [s["at"][:10] for s in daily.entries.get().signals] == ["2026-11-24"]


def test_the_email_names_the_clinicians_and_links_to_their_record_and_to_nominating(body, admin, open_opportunity):
    profile = ClinicianProfileFactory(training_body=body, user__full_name="Asha Listed")
    signal(profile)

    with time_machine.travel(NOW, tick=False):
        services.nudges_dispatch(now=NOW)
        for message in OutboxMessage.objects.all():
            assert outbox_deliver(message_id=message.pk)

    assert sorted(email.to[0] for email in mail.outbox) == [admin.email, body.contact_email_list[0]]
    email = mail.outbox[0]
    assert "1 clinician showed an interest in leadership" in email.subject
    assert "Asha Listed" in email.body
    assert "Open leadership programme" in email.body
    assert f"/clinicians/{profile.pk}/" in email.body
    assert f"/nominations/new/?clinician={profile.pk}" in email.body
    assert "Asha Listed" in email.alternatives[0][0]
    assert OutboxMessage.objects.filter(state=OutboxState.SENT).count() == 2


@pytest.fixture
def dispatched(body, admin, open_opportunity, nurse_only):
    """A real weekly nudge, built by the dispatcher, naming one doctor eligible for the open programme only."""
    profile = ClinicianProfileFactory(training_body=body, user__full_name="Asha Listed")
    signal(profile)
    [nudge] = services.nudges_dispatch(now=NOW)
    return nudge, profile


def test_a_dispatched_nudges_page_links_to_the_opportunity_and_to_nominating_the_clinician(
    client, admin, dispatched, open_opportunity
):
    """The admin opens a nudge the dispatcher built: the opportunity links to its own page and "Nominate" opens the
    nomination form with that clinician chosen."""
    nudge, profile = dispatched
    client.force_login(admin)

    page = client.get(reverse("nudge_detail", kwargs={"nudge_id": nudge.pk}))

    assert page.status_code == 200
    opportunity_page = reverse("opportunity_detail", kwargs={"slug": open_opportunity.slug})
    assert f'<a href="{opportunity_page}">Open leadership programme</a>' in page.text
    assert "Nurses only programme" not in page.text
    assert client.get(opportunity_page).status_code == 200
    nominate = f"{reverse('nomination_create')}?clinician={profile.pk}"
    assert f'href="{nominate}">Nominate Asha Listed' in page.text
    form = client.get(nominate)
    assert f'<option value="{profile.pk}" selected>' in form.text
    assert f'<option value="{open_opportunity.pk}"' in form.text


def test_a_dispatched_nudge_in_the_api_names_each_opportunity_by_id_and_slug(
    client, admin, dispatched, open_opportunity
):
    """An API client reading a nudge the dispatcher built gets each opportunity's id (to nominate for it) and slug."""
    nudge, profile = dispatched
    client.force_login(admin)

    detail = client.get(reverse("api_nudge_detail", kwargs={"nudge_id": nudge.pk}))

    assert detail.status_code == 200
    [clinician] = detail.json()["clinicians"]
    assert clinician["profile_id"] == str(profile.pk)
    assert clinician["opportunities"] == [
        {"id": str(open_opportunity.pk), "title": "Open leadership programme", "slug": open_opportunity.slug}
    ]


def test_consent_is_checked_again_when_the_email_is_sent(body, admin):
    """A clinician who withdrew consent after the nudge was built is not named; the email says one was left out."""
    stays = ClinicianProfileFactory(training_body=body, user__full_name="Stays Named")
    leaves = ClinicianProfileFactory(training_body=body, user__full_name="Withdrew Consent")
    signal(stays)
    signal(leaves)
    services.nudges_dispatch(now=NOW)
    services.consent_set(profile=leaves, recipient=ConsentRecipient.TRAINING_BODY, granted=False)

    message = OutboxMessage.objects.get(to_email=admin.email)
    assert outbox_deliver(message_id=message.pk)

    [email] = mail.outbox
    assert "Stays Named" in email.body
    assert "Withdrew Consent" not in email.body and "Withdrew Consent" not in email.alternatives[0][0]
    assert "1 other clinician no longer shares their record with you" in email.body


def test_nothing_is_sent_when_everyone_in_the_nudge_withdrew(body, admin):
    leaves = ClinicianProfileFactory(training_body=body)
    signal(leaves)
    services.nudges_dispatch(now=NOW)
    services.consent_set(profile=leaves, recipient=ConsentRecipient.TRAINING_BODY, granted=False)

    message = OutboxMessage.objects.get(to_email=admin.email)
    assert outbox_deliver(message_id=message.pk) is False

    assert mail.outbox == []
    message.refresh_from_db()
    assert message.state == OutboxState.SENT and message.last_error == "Not sent: no longer due"


def _dispatch_queries(bodies: int, clinicians_per_body: int) -> int:
    for _ in range(bodies):
        tb = TrainingBodyFactory(region=Region.objects.get(slug="london"))
        TrainingBodyAdminFactory(training_body=tb)
        for _ in range(clinicians_per_body):
            signal(ClinicianProfileFactory(training_body=tb, regulator=Regulator.objects.get(code="GMC")))
    with CaptureQueriesContext(connection) as queries:
        services.nudges_dispatch(now=NOW)
    Nudge.objects.all().delete()
    return len(queries)


@pytest.mark.django_db
def test_the_dispatcher_queries_do_not_grow_with_clinicians(open_opportunity):
    """Ten times the clinicians, the same number of queries."""
    few = _dispatch_queries(bodies=2, clinicians_per_body=1)
    EarlyInterestSignal.objects.all().delete()
    many = _dispatch_queries(bodies=2, clinicians_per_body=10)
    assert many == few
    assert few <= 12


def test_the_hourly_task_builds_the_due_nudges(body, admin):
    from talent.tasks import dispatch_nudges

    signal(ClinicianProfileFactory(training_body=body), at=nudge_period(frequency="weekly", now=timezone.now())[0])
    assert dispatch_nudges.delay().get() == 1
    assert dispatch_nudges.delay().get() == 0


def test_demo_nudges_show_the_demo_admin_what_a_nudge_looks_like(training_body, clinician, open_opportunity):
    assert demo_nudges_seed(training_body=training_body) == 2
    assert demo_nudges_seed(training_body=training_body) == 0
    entries = NudgeEntry.objects.filter(nudge__training_body=training_body)
    assert [entry.profile for entry in entries] == [clinician.clinician_profile]
    assert entries[0].opportunities[0]["title"] == "Open leadership programme"
