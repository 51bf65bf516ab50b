"""Follow-ups of nudges: the dispatch opens one per clinician named, in its own transaction; an admin of the body
closes it once (conversation, nomination, signposting or no action with a reason); a withdrawn consent closes it;
overdue items go in the body's weekly reminder; pages and API are scoped to the body and take a fixed number of
queries however many items there are."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent, NudgeFrequency, OutboxMessage
from config.errors import DomainError
from talent import services
from talent.models import (
    ConsentRecipient,
    EarlyInterestSignal,
    FollowUp,
    FollowUpOutcome,
    NoActionReason,
    Nudge,
    NudgeEntry,
    SignalKind,
    Signpost,
)
from talent.services.followups import NOTE_MAX_LENGTH
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory, TrainingBodyAdminFactory
from tests.talent.followup_fixtures import open_follow_up, recorded_conversation
from tests.talent.nomination_fixtures import delivered_emails

UK = ZoneInfo("Europe/London")
# A Wednesday: the weekly nudge built now covers Monday 16 to Monday 23 November.
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
IN_WEEK = datetime(2026, 11, 18, 12, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def signal(profile, at=IN_WEEK):
    return EarlyInterestSignal.objects.create(profile=profile, kind=SignalKind.INTEREST_RAISED, created_at=at)


@pytest.fixture
def weekly_body(training_body):
    training_body.nudge_frequency = NudgeFrequency.WEEKLY
    training_body.save()
    return training_body


def signed_in(client, user):
    client.force_login(user)
    return client


# --- Opening ------------------------------------------------------------------------------------------------------


def test_each_clinician_named_in_a_nudge_becomes_a_follow_up_due_in_30_days(weekly_body, tb_admin):
    named = [ClinicianProfileFactory(training_body=weekly_body) for _ in range(3)]
    for profile in named:
        signal(profile)

    [nudge] = services.nudges_dispatch(now=NOW)

    items = FollowUp.objects.filter(training_body=weekly_body)
    assert {item.profile for item in items} == set(named)
    assert {item.nudge for item in items} == {nudge}
    assert {item.due_on for item in items} == {timezone.localdate(NOW) + timedelta(days=30)}
    assert all(item.closed_at is None for item in items)


def test_the_due_time_follows_the_setting(weekly_body, tb_admin, settings):
    settings.NUDGE_FOLLOW_UP_DAYS = 14
    signal(ClinicianProfileFactory(training_body=weekly_body))

    services.nudges_dispatch(now=NOW)

    assert FollowUp.objects.get().due_on == timezone.localdate(NOW) + timedelta(days=14)


def test_a_clinician_named_again_before_their_item_closes_gets_no_second_one(weekly_body, tb_admin):
    profile = ClinicianProfileFactory(training_body=weekly_body)
    signal(profile)
    services.nudges_dispatch(now=NOW)
    signal(profile, at=datetime(2026, 11, 24, 9, tzinfo=UK))

    assert len(services.nudges_dispatch(now=datetime(2026, 12, 1, 8, tzinfo=UK))) == 1

    assert Nudge.objects.count() == 2
    [item] = FollowUp.objects.all()
    assert item.nudge.period_end == datetime(2026, 11, 23, tzinfo=UK)

    # Once closed, the next nudge naming them opens a new one.
    services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="not_wanted")
    signal(profile, at=datetime(2026, 12, 2, 9, tzinfo=UK))
    services.nudges_dispatch(now=datetime(2026, 12, 8, 8, tzinfo=UK))
    assert FollowUp.objects.filter(profile=profile).count() == 2
    assert FollowUp.objects.filter(profile=profile, closed_at__isnull=True).count() == 1


def test_a_nudge_never_exists_without_its_follow_ups(weekly_body, tb_admin, monkeypatch):
    """The follow-ups are written in the dispatch's transaction: if opening them fails, no nudge is kept either."""
    signal(ClinicianProfileFactory(training_body=weekly_body))

    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("talent.services.nudges.follow_ups_open", broken)
    with pytest.raises(RuntimeError):
        services.nudges_dispatch(now=NOW)

    assert not Nudge.objects.exists()
    assert not NudgeEntry.objects.exists()
    assert not FollowUp.objects.exists()


def test_opening_follow_ups_adds_one_statement_however_many_clinicians(weekly_body, tb_admin, other_training_body):
    """A nudge run over many bodies and clinicians opens every follow-up in one bulk insert per batch."""
    other_training_body.nudge_frequency = NudgeFrequency.WEEKLY
    other_training_body.save()

    def dispatch_queries(count: int, now: datetime) -> int:
        for body in (weekly_body, other_training_body):
            for _ in range(count):
                signal(ClinicianProfileFactory(training_body=body), at=now - timedelta(days=7))
        with CaptureQueriesContext(connection) as queries:
            services.nudges_dispatch(now=now)
        return len([q for q in queries.captured_queries if "talent_followup" in q["sql"]])

    assert dispatch_queries(3, NOW) == 1
    assert dispatch_queries(40, NOW + timedelta(days=7)) == 1
    assert FollowUp.objects.count() == 86


# --- Closing ------------------------------------------------------------------------------------------------------


@pytest.fixture
def item(training_body, clinician, nudge):
    return open_follow_up(profile=clinician.clinician_profile, training_body=training_body, nudge=nudge)


def test_no_action_needs_a_reason_from_the_list_and_other_needs_words(item, tb_admin):
    with pytest.raises(DomainError) as missing:
        services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="")
    assert missing.value.field == "reason"
    with pytest.raises(DomainError) as unexplained:
        services.follow_up_close(
            user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason=NoActionReason.OTHER
        )
    assert unexplained.value.field == "note"
    with pytest.raises(DomainError) as too_long:
        services.follow_up_close(
            user=tb_admin,
            follow_up=item,
            outcome=FollowUpOutcome.NO_ACTION,
            reason=NoActionReason.OTHER,
            note="x" * (NOTE_MAX_LENGTH + 1),
        )
    assert too_long.value.field == "note"
    item.refresh_from_db()
    assert item.closed_at is None
    assert not AuditEvent.objects.filter(action="follow_up.closed").exists()

    services.follow_up_close(
        user=tb_admin,
        follow_up=item,
        outcome=FollowUpOutcome.NO_ACTION,
        reason=NoActionReason.OTHER,
        note="They are on parental leave until March.",
    )
    item.refresh_from_db()
    assert (item.outcome, item.no_action_reason, item.closed_by) == ("no_action", "other", tb_admin)
    assert AuditEvent.objects.filter(action="follow_up.closed", subject_id=str(item.pk), actor=tb_admin).exists()


def test_an_item_closes_once(item, tb_admin, client):
    """The second close is refused with who closed it and when: 409 in the API, a clear message on the page."""
    services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="not_reached")

    with pytest.raises(DomainError) as again:
        services.follow_up_close(
            user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="already_supported"
        )
    assert again.value.conflict

    api = signed_in(client, tb_admin).post(
        reverse("talent_api:close_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "no_action", "reason": "already_supported"},
        content_type="application/json",
    )
    assert api.status_code == 409
    assert "already closed" in api.json()["detail"]

    page = client.post(
        reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "no_action", "reason": "already_supported"},
    )
    assert page.status_code == 409
    assert "This follow-up was already closed by" in page.content.decode()
    item.refresh_from_db()
    assert item.no_action_reason == "not_reached"
    assert AuditEvent.objects.filter(action="follow_up.closed").count() == 1


def test_two_admins_closing_at_once_one_wins(item, tb_admin, training_body):
    """The row lock: the second close reads the item as the first left it, so it sees it closed."""
    second_admin = TrainingBodyAdminFactory(training_body=training_body)
    stale = FollowUp.objects.get(pk=item.pk)  # read before the first close, as a second request would have
    services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="not_wanted")

    with pytest.raises(DomainError) as lost:
        services.follow_up_close(
            user=second_admin, follow_up=stale, outcome=FollowUpOutcome.NO_ACTION, reason="not_reached"
        )
    assert lost.value.conflict
    assert FollowUp.objects.get(pk=item.pk).closed_by == tb_admin


def test_signposting_emails_the_clinician_who_sees_them_on_their_home(
    item, tb_admin, clinician, open_opportunity, published_pathway, client
):
    services.follow_up_close(
        user=tb_admin,
        follow_up=item,
        outcome=FollowUpOutcome.SIGNPOSTED,
        opportunity_ids=[open_opportunity.pk],
        pathway_ids=[published_pathway.pk],
        note="Both fit what you told us you want.",
    )

    item.refresh_from_db()
    assert item.outcome == FollowUpOutcome.SIGNPOSTED
    assert {(s.opportunity, s.pathway) for s in Signpost.objects.filter(profile=clinician.clinician_profile)} == {
        (open_opportunity, None),
        (None, published_pathway),
    }
    [email] = [m for m in delivered_emails() if m.to == [clinician.email]]
    assert open_opportunity.title in email.body
    assert published_pathway.title in email.body
    assert "Both fit what you told us you want." in email.body

    home = signed_in(client, clinician).get(reverse("talent:show_clinician_home")).content.decode()
    assert "Suggested by your training body" in home
    assert reverse("pathways:show_opportunity", kwargs={"slug": open_opportunity.slug}) in home
    assert reverse("pathways:show_pathway", kwargs={"slug": published_pathway.slug}) in home


@pytest.mark.parametrize("target", ["closed_opportunity", "draft_opportunity", "draft_pathway"])
def test_a_signpost_to_a_closed_or_unpublished_item_is_a_field_error_and_nothing_is_written(
    item, tb_admin, target, request, client
):
    chosen = request.getfixturevalue(target)
    is_pathway = target.endswith("pathway")
    with pytest.raises(DomainError) as refused:
        services.follow_up_close(
            user=tb_admin,
            follow_up=item,
            outcome=FollowUpOutcome.SIGNPOSTED,
            opportunity_ids=[] if is_pathway else [chosen.pk],
            pathway_ids=[chosen.pk] if is_pathway else [],
        )
    assert refused.value.field == ("pathways" if is_pathway else "opportunities")

    api = signed_in(client, tb_admin).post(
        reverse("talent_api:close_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "signposted", ("pathways" if is_pathway else "opportunities"): [str(chosen.pk)]},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert set(api.json()) == {"pathways" if is_pathway else "opportunities"}

    page = client.post(
        reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "signposted", ("pathways" if is_pathway else "opportunities"): [str(chosen.pk)]},
    )
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    item.refresh_from_db()
    assert item.closed_at is None
    assert not Signpost.objects.exists()
    assert not OutboxMessage.objects.filter(kind="signposted").exists()


def test_signposting_nothing_is_a_field_error(item, tb_admin):
    with pytest.raises(DomainError) as refused:
        services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.SIGNPOSTED)
    assert refused.value.field == "opportunities"


def test_nominating_the_clinician_closes_their_item(item, tb_admin, clinician, open_opportunity):
    nomination = services.nomination_nominate(
        user=tb_admin,
        profile=clinician.clinician_profile,
        opportunity=open_opportunity,
        supporting_statement="A strong candidate.",
    )

    item.refresh_from_db()
    assert (item.outcome, item.nomination, item.closed_by) == (FollowUpOutcome.NOMINATED, nomination, tb_admin)


def test_closing_as_nominated_or_conversation_needs_one_recorded_first(item, tb_admin, clinician, training_body):
    for outcome in (FollowUpOutcome.NOMINATED, FollowUpOutcome.CONVERSATION):
        with pytest.raises(DomainError) as refused:
            services.follow_up_close(user=tb_admin, follow_up=item, outcome=outcome)
        assert refused.value.field == "outcome"

    conversation = recorded_conversation(profile=clinician.clinician_profile, training_body=training_body)
    services.follow_up_close(user=tb_admin, follow_up=item, outcome=FollowUpOutcome.CONVERSATION)
    item.refresh_from_db()
    assert item.conversation == conversation


def test_consent_withdrawn_before_closing_closes_it_as_consent_withdrawn(item, clinician, tb_admin):
    profile = clinician.clinician_profile

    services.consent_set(profile=profile, recipient=ConsentRecipient.TRAINING_BODY, granted=False)

    item.refresh_from_db()
    assert item.outcome == FollowUpOutcome.CONSENT_WITHDRAWN
    assert item.closed_by is None
    assert AuditEvent.objects.filter(action="follow_up.closed", subject_id=str(item.pk), actor=clinician).exists()
    # An HEE consent change leaves the body's items alone.
    other = open_follow_up(
        profile=ClinicianProfileFactory(training_body=item.training_body), training_body=item.training_body
    )
    services.consent_set(profile=other.profile, recipient=ConsentRecipient.HEE, granted=False)
    other.refresh_from_db()
    assert other.closed_at is None


def test_another_bodys_follow_up_cannot_be_closed(item, other_tb_admin, client):
    with pytest.raises(PermissionDenied):
        services.follow_up_close(
            user=other_tb_admin, follow_up=item, outcome=FollowUpOutcome.NO_ACTION, reason="not_wanted"
        )
    signed_in(client, other_tb_admin)
    api = client.post(
        reverse("talent_api:close_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "no_action", "reason": "not_wanted"},
        content_type="application/json",
    )
    page = client.post(
        reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "no_action", "reason": "not_wanted"},
    )
    assert (api.status_code, page.status_code) == (404, 404)
    item.refresh_from_db()
    assert item.closed_at is None


def test_closing_through_the_api(item, tb_admin, client, open_opportunity):
    response = signed_in(client, tb_admin).post(
        reverse("talent_api:close_follow_up", kwargs={"follow_up_id": item.pk}),
        {"outcome": "signposted", "opportunities": [str(open_opportunity.pk)]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["outcome"] == "signposted"
    assert [s["opportunity_title"] for s in body["signposts"]] == [open_opportunity.title]


def test_a_clinician_who_stops_sharing_disappears_from_the_lists(item, tb_admin, clinician, client):
    signed_in(client, tb_admin)
    assert client.get(reverse("talent_api:list_follow_ups")).json()["count"] == 1
    services.consent_set(profile=clinician.clinician_profile, recipient=ConsentRecipient.TRAINING_BODY, granted=False)
    assert client.get(reverse("talent_api:list_follow_ups")).json()["count"] == 0
    assert client.get(reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk})).status_code == 404


# --- Overdue and reminders ----------------------------------------------------------------------------------------


def test_overdue_items_are_in_the_bodys_weekly_reminder(training_body, tb_admin, clinician, other_training_body):
    overdue = open_follow_up(
        profile=clinician.clinician_profile, training_body=training_body, opened_days_ago=40, due_in_days=-10
    )
    open_follow_up(
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Not Yet Due"),
        training_body=training_body,
    )
    closed = open_follow_up(
        profile=ClinicianProfileFactory(training_body=training_body, user__full_name="Already Closed"),
        training_body=training_body,
        opened_days_ago=40,
        due_in_days=-10,
    )
    services.follow_up_close(user=tb_admin, follow_up=closed, outcome=FollowUpOutcome.NO_ACTION, reason="not_wanted")

    assert services.follow_up_reminders_send(now=NOW) == 1
    assert services.follow_up_reminders_send(now=NOW + timedelta(days=1)) == 1  # same week: nothing new owed
    reminders = OutboxMessage.objects.filter(kind="follow_up_reminder")
    assert {m.to_email for m in reminders} >= {tb_admin.email}
    count_this_week = reminders.count()

    emails = [m for m in delivered_emails() if tb_admin.email in m.to]
    [email] = [m for m in emails if "overdue" in m.subject]
    assert clinician.full_name in email.body
    assert reverse("talent:show_follow_up", kwargs={"follow_up_id": overdue.pk}) in email.body
    assert "Not Yet Due" not in email.body
    assert "Already Closed" not in email.body

    services.follow_up_reminders_send(now=NOW + timedelta(days=7))
    assert OutboxMessage.objects.filter(kind="follow_up_reminder").count() == 2 * count_this_week


def test_nothing_overdue_means_no_reminder(item):
    assert services.follow_up_reminders_send(now=NOW) == 0
    assert not OutboxMessage.objects.filter(kind="follow_up_reminder").exists()


# --- Pages, counts and query counts -------------------------------------------------------------------------------


def make_items(training_body, count: int, *, overdue: bool = False) -> list[FollowUp]:
    return [
        open_follow_up(
            profile=ClinicianProfileFactory(training_body=training_body),
            training_body=training_body,
            opened_days_ago=40 if overdue else 3,
            due_in_days=-5 if overdue else 27,
        )
        for _ in range(count)
    ]


def test_the_list_page_and_api_take_the_same_queries_at_10_and_at_many_items(training_body, tb_admin, client):
    signed_in(client, tb_admin)
    make_items(training_body, 10)
    with CaptureQueriesContext(connection) as ten_page:
        assert client.get(reverse("talent:list_follow_ups")).status_code == 200
    with CaptureQueriesContext(connection) as ten_api:
        assert client.get(reverse("talent_api:list_follow_ups")).status_code == 200
    make_items(training_body, 60)
    with CaptureQueriesContext(connection) as many_page:
        page = client.get(reverse("talent:list_follow_ups"))
    with CaptureQueriesContext(connection) as many_api:
        api = client.get(reverse("talent_api:list_follow_ups"))
    assert len(re.findall(r'href="/follow-ups/[0-9a-f-]{36}/"', page.content.decode())) == 25  # one page of them
    assert api.json()["count"] == 70
    assert len(many_page) == len(ten_page)
    assert len(many_api) == len(ten_api)


def test_the_admin_home_counts_due_and_overdue_items_and_requests_in_a_fixed_number_of_queries(
    training_body, tb_admin, client
):
    signed_in(client, tb_admin)
    make_items(training_body, 2)
    make_items(training_body, 1, overdue=True)
    with CaptureQueriesContext(connection) as few:
        home = client.get(reverse("accounts:list_training_bodies")).content.decode()
    assert "Follow-ups of nudges due: 2" in home
    assert "Follow-ups overdue: 1" in home
    assert "Requests for career conversations: 0" in home

    make_items(training_body, 20)
    make_items(training_body, 15, overdue=True)
    with CaptureQueriesContext(connection) as many:
        home = client.get(reverse("accounts:list_training_bodies")).content.decode()
    assert "Follow-ups of nudges due: 22" in home
    assert "Follow-ups overdue: 16" in home
    assert len(many) == len(few)


def test_the_overdue_list_shows_only_overdue_items(training_body, tb_admin, client):
    [late] = make_items(training_body, 1, overdue=True)
    [on_time] = make_items(training_body, 1)
    page = signed_in(client, tb_admin).get(reverse("talent:list_follow_ups") + "?state=overdue").content.decode()
    assert escape(late.profile.user.full_name) in page
    assert escape(on_time.profile.user.full_name) not in page
    assert "Overdue" in page


def test_the_record_page_shows_follow_ups_and_conversations_to_the_body_never_to_hee(
    item, conversation, tb_admin, hee_staff, client, clinician
):
    record = reverse("talent:show_clinician", kwargs={"profile_id": clinician.clinician_profile.pk})
    admin_view = signed_in(client, tb_admin).get(record).content.decode()
    assert "Follow-ups of nudges" in admin_view
    assert reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}) in admin_view
    assert reverse("talent:show_conversation", kwargs={"conversation_id": conversation.pk}) in admin_view

    hee_view = signed_in(client, hee_staff).get(record)
    assert hee_view.status_code == 200
    assert "Career conversations with your training body" not in hee_view.content.decode()
    assert "Follow-ups of nudges" not in hee_view.content.decode()


def test_the_follow_up_page_offers_only_open_published_opportunities(
    item, tb_admin, client, open_opportunity, closed_opportunity, draft_opportunity
):
    page = signed_in(client, tb_admin).get(reverse("talent:show_follow_up", kwargs={"follow_up_id": item.pk}))
    content = page.content.decode()
    assert open_opportunity.title in content
    assert closed_opportunity.title not in content
    assert draft_opportunity.title not in content


def test_emails_render(item, tb_admin, open_opportunity):
    services.follow_up_close(
        user=tb_admin, follow_up=item, outcome=FollowUpOutcome.SIGNPOSTED, opportunity_ids=[open_opportunity.pk]
    )
    delivered = delivered_emails()
    assert delivered
    assert all("{{" not in message.body for message in mail.outbox)
