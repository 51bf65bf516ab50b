"""The nudge dispatcher: who is in a nudge, which period, exactly once, and what the email says at send time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
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
from talent.models import ConsentRecipient, EarlyInterestSignal, Nudge, NudgeEntry, SignalKind
from talent.services.nudges import nudge_period
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory, TrainingBodyFactory
from tests.pathways.fixtures import _opportunity
from tests.talent.nudge_fixtures import NudgeEntryFactory, NudgeFactory

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

    page = client.get(reverse("talent:show_nudge", kwargs={"nudge_id": nudge.pk}))

    assert page.status_code == 200
    opportunity_page = reverse("pathways:show_opportunity", kwargs={"slug": open_opportunity.slug})
    assert f'<a href="{opportunity_page}">Open leadership programme</a>' in page.text
    assert "Nurses only programme" not in page.text
    assert client.get(opportunity_page).status_code == 200
    nominate = f"{reverse('talent:nominate_clinician')}?clinician={profile.pk}"
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

    detail = client.get(reverse("talent_api:show_nudge", kwargs={"nudge_id": nudge.pk}))

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
    from talent.tasks import dispatch_nudges_task

    signal(ClinicianProfileFactory(training_body=body), at=nudge_period(frequency="weekly", now=timezone.now())[0])
    assert dispatch_nudges_task.delay().get() == 1
    assert dispatch_nudges_task.delay().get() == 0


WEEK_START, WEEK_END = datetime(2026, 11, 16, tzinfo=UK), datetime(2026, 11, 23, tzinfo=UK)


def delivered() -> dict:
    """Deliver every owed nudge email; each recipient's email by address."""
    for message in OutboxMessage.objects.filter(kind="nudge"):
        outbox_deliver(message_id=message.pk)
    return {email.to[0]: email for email in mail.outbox}


def test_the_email_says_each_clinicians_profession_stage_what_they_did_in_words_and_what_they_could_apply_for(
    body, admin, open_opportunity, nurse_only
):
    """The admin reads, in the text and in the HTML, each clinician's profession and career stage, what they did in
    plain words (each kind once), the open opportunities each could apply for (soonest closing first, then by title)
    and the links to their record and to nominating them."""
    _opportunity(
        slug="st3-and-above",
        title="Registrars leading change",
        opens_in_days=-5,
        closes_in_days=20,
        status=ContentStatus.PUBLISHED,
        min_specialty_training_year=3,
    )
    for slug, title in (("beta", "Beta fellowship"), ("alpha", "Alpha fellowship")):  # the same closing day
        _opportunity(slug=slug, title=title, opens_in_days=-5, closes_in_days=25, status=ContentStatus.PUBLISHED)
    doctor = ClinicianProfileFactory(training_body=body, user__full_name="Asha Doctor")
    nurse = ClinicianProfileFactory(
        training_body=body,
        user__full_name="Bea Nurse",
        profession="nurse",
        regulator=Regulator.objects.get(code="NMC"),
        career_stage="band_6",
        specialty_training_year=None,
    )
    signal(doctor, kind=SignalKind.PATHWAY_SAVED)
    signal(doctor, at=IN_WEEK + timedelta(hours=1))
    signal(doctor, at=IN_WEEK + timedelta(hours=2))
    signal(nurse, kind=SignalKind.SELF_ASSESSMENT_COMPLETED)

    services.nudges_dispatch(now=NOW)
    email = delivered()[admin.email]

    html = email.alternatives[0][0]
    for profile, described, did, could in (
        (
            doctor,
            "Doctor, Specialty training (ST3)",
            "Raised their leadership interest to Exploring or above; Saved a career pathway",
            "Open leadership programme; Registrars leading change; Alpha fellowship; Beta fellowship",
        ),
        (
            nurse,
            "Nurse, Agenda for Change band 6",
            "Completed a leadership self-assessment",
            "Open leadership programme; Alpha fellowship; Beta fellowship; Nurses only programme",
        ),
    ):
        name = profile.user.full_name
        record = reverse("talent:show_clinician", kwargs={"profile_id": profile.pk})
        nominate = f"{reverse('talent:nominate_clinician')}?clinician={profile.pk}"
        assert f"{name}, {described}\nWhat they did: {did}\n" in email.body
        assert f"Opportunities they could apply for: {could}\n" in email.body
        assert (
            f"Their record: {settings.SITE_URL}{record}\nNominate them: {settings.SITE_URL}{nominate}\n" in email.body
        )
        assert f'{record}" style="color: #005eb8;">{name}</a>' in html
        assert f'<p style="margin-top: 0;">{described}<br>\n  What they did: {did}<br>' in html
        assert f"Opportunities they could apply for: {could}<br>" in html
        assert f'{nominate}" style="color: #005eb8;">Nominate {name}</a>' in html


def test_a_signal_of_a_kind_no_longer_offered_is_still_reported(body, admin):
    """A nudge holding a signal of a kind the service has since retired still goes out, showing it as recorded."""
    nudge = NudgeFactory(training_body=body, period_start=WEEK_START, period_end=WEEK_END)
    NudgeEntryFactory(
        nudge=nudge,
        profile=ClinicianProfileFactory(training_body=body),
        signals=[{"kind": "webinar_attended", "at": IN_WEEK.isoformat()}],
    )
    message = OutboxMessage.objects.create(
        idempotency_key="retired-kind", kind="nudge", to_email=admin.email, context={"nudge_id": str(nudge.pk)}
    )

    assert outbox_deliver(message_id=message.pk)

    [email] = mail.outbox
    assert "What they did: webinar_attended\n" in email.body
    assert "What they did: webinar_attended<br>" in email.alternatives[0][0]


def test_a_signal_at_the_very_start_of_the_period_is_in_it_and_one_at_its_end_in_the_next(
    body, admin, other_training_body
):
    """Midnight on Monday belongs to the week it starts: reported in that week's nudge, not in the week before, even
    when a daily body nudged by the same run reads signals up to yesterday."""
    other_training_body.nudge_frequency = NudgeFrequency.DAILY
    other_training_body.save()
    signal(ClinicianProfileFactory(training_body=other_training_body), at=datetime(2026, 11, 24, 9, tzinfo=UK))
    profile = ClinicianProfileFactory(training_body=body)
    signal(profile, at=WEEK_START, kind=SignalKind.PATHWAY_SAVED)
    signal(profile, at=WEEK_END)

    nudges = {nudge.training_body: nudge for nudge in services.nudges_dispatch(now=NOW)}
    [later] = services.nudges_dispatch(now=NOW + timedelta(days=7))

    assert signals_of(nudges[body].entries.get()) == [(SignalKind.PATHWAY_SAVED, WEEK_START)]
    assert (later.training_body, signals_of(later.entries.get())) == (body, [(SignalKind.INTEREST_RAISED, WEEK_END)])


def test_a_body_already_nudged_for_the_period_does_not_hold_up_the_next_body(admin, body):
    """A body whose nudge for the period went out earlier is skipped, and the bodies after it are still nudged."""
    signal(ClinicianProfileFactory(training_body=body))
    services.nudges_dispatch(now=NOW)
    later = TrainingBodyFactory(name="Zebra Deanery", nudge_frequency=NudgeFrequency.WEEKLY)
    listed = ClinicianProfileFactory(training_body=later)
    signal(listed)

    [nudge] = services.nudges_dispatch(now=NOW + timedelta(hours=1))

    assert nudge.training_body == later
    assert nudge.entries.get().profile == listed


def test_each_clinician_is_offered_only_what_their_career_stage_may_apply_for(body, admin):
    """Eligibility is judged per clinician: a consultants-only programme is offered to the consultant, not to the
    specialty trainee of the same profession."""
    _opportunity(
        slug="consultants-only",
        title="Consultants only",
        opens_in_days=-5,
        closes_in_days=20,
        status=ContentStatus.PUBLISHED,
        career_stages=["consultant_gp"],
    )
    consultant = ClinicianProfileFactory(
        training_body=body, profession="doctor", career_stage="consultant_gp", specialty_training_year=None
    )
    trainee = ClinicianProfileFactory(
        training_body=body, profession="doctor", career_stage="specialty_training", specialty_training_year=4
    )
    signal(consultant)
    signal(trainee)

    [nudge] = services.nudges_dispatch(now=NOW)

    offered = {entry.profile: [o["slug"] for o in entry.opportunities] for entry in nudge.entries.all()}
    assert offered == {consultant: ["consultants-only"], trainee: []}


def test_the_nudge_goes_once_to_each_active_admin_and_contact_address_of_the_body_only(body, admin):
    """Every current admin and every contact address gets the nudge once, an address written twice in another case
    included; a deactivated admin, someone no longer an admin, and another body's admin get nothing."""
    from accounts.models import Role, TrainingBodyMembership
    from tests.factories import UserFactory

    second = TrainingBodyAdminFactory(training_body=body, email="second.admin@body.example.nhs.uk")
    TrainingBodyAdminFactory(training_body=body, email="left@body.example.nhs.uk", is_active=False)
    former = UserFactory(email="former.admin@body.example.nhs.uk", role=Role.CLINICIAN)
    TrainingBodyMembership.objects.create(user=former, training_body=body)
    TrainingBodyAdminFactory(email="admin@elsewhere.example.nhs.uk")  # of another body, with nothing due
    body.contact_emails = "leadership@body.example.nhs.uk\nADMIN@Body.example.nhs.uk\nfaculty@body.example.nhs.uk"
    body.save()
    signal(ClinicianProfileFactory(training_body=body))

    services.nudges_dispatch(now=NOW)

    assert sorted(delivered()) == sorted(
        [admin.email, second.email, "leadership@body.example.nhs.uk", "faculty@body.example.nhs.uk"]
    )
    assert len(mail.outbox) == 4


def test_the_opportunities_are_those_open_on_the_day_the_nudge_is_built_for(body, admin):
    """A run for a given moment (a late or replayed run) lists what one could apply for on that moment's day."""
    opens_tomorrow = _opportunity(
        slug="opens-tomorrow",
        title="Opens tomorrow",
        opens_in_days=1,
        closes_in_days=20,
        status=ContentStatus.PUBLISHED,
    )
    signal(ClinicianProfileFactory(training_body=body))

    [nudge] = services.nudges_dispatch(now=NOW + timedelta(days=1))

    assert nudge.entries.get().opportunities == [
        {"id": str(opens_tomorrow.pk), "title": "Opens tomorrow", "slug": "opens-tomorrow"}
    ]


@pytest.mark.django_db
def test_the_dispatcher_queries_do_not_grow_with_bodies(open_opportunity):
    """Three times the training bodies due, the same number of queries."""
    one = _dispatch_queries(bodies=1, clinicians_per_body=1)
    EarlyInterestSignal.objects.all().delete()
    three = _dispatch_queries(bodies=3, clinicians_per_body=1)
    assert three == one
