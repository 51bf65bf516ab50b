"""Career conversations: an admin records one with a consenting clinician of their body; bad input is a field error
with nothing written; the clinician confirms or disputes it once (a dispute keeps both accounts); a clinician asks
for one; HEE staff never see the free text; every action is audited and emails go through the outbox."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AuditEvent, OutboxMessage
from config.errors import DomainError
from talent import services
from talent.export import clinician_data_export
from talent.models import AgreedAction, CareerConversation, ConversationRequest, FollowUpOutcome
from talent.services.conversations import ASPIRATIONS_MAX_LENGTH, ActionInput
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.talent.followup_fixtures import open_follow_up
from tests.talent.nomination_fixtures import delivered_emails

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)


def today():
    return timezone.localdate()


def record(admin, profile, **overrides):
    values = {
        "user": admin,
        "profile": profile,
        "held_on": today() - timedelta(days=1),
        "participants": "Dr Priya Raman and Sam Jones (training programme director)",
        "aspirations": "I want to become a clinical director within five years.",
        "actions": [ActionInput("Shadow the clinical director for a day", "Sam Jones", today() + timedelta(days=30))],
        "next_conversation_on": today() + timedelta(days=180),
    }
    values.update(overrides)
    return services.conversation_record(**values)


def signed_in(client, user):
    client.force_login(user)
    return client


def nothing_written():
    return (
        not CareerConversation.objects.exists()
        and not AgreedAction.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="conversation.").exists()
        and not OutboxMessage.objects.filter(kind="conversation_recorded").exists()
    )


def test_an_admin_records_a_conversation_the_clinician_is_told(tb_admin, clinician):
    conversation = record(tb_admin, clinician.clinician_profile)

    assert conversation.training_body == clinician.clinician_profile.training_body
    assert [(a.description, a.owner) for a in conversation.actions.all()] == [
        ("Shadow the clinical director for a day", "Sam Jones")
    ]
    assert AuditEvent.objects.filter(action="conversation.recorded", actor=tb_admin).exists()
    [email] = [m for m in delivered_emails() if m.to == [clinician.email]]
    assert reverse("talent:show_my_conversation", kwargs={"conversation_id": conversation.pk}) in email.body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"next_conversation_on": NOW.date() - timedelta(days=1)}, "next_conversation_on"),
        ({"held_on": NOW.date() + timedelta(days=1)}, "held_on"),
        ({"actions": [ActionInput("Join the QI group", "", NOW.date() + timedelta(days=10))]}, "action_1_owner"),
        ({"actions": [ActionInput("Join the QI group", "Sam", None)]}, "action_1_due_on"),
        ({"aspirations": "x" * (ASPIRATIONS_MAX_LENGTH + 1)}, "aspirations"),
        ({"aspirations": "   "}, "aspirations"),
        ({"participants": ""}, "participants"),
    ],
    ids=[
        "next-date-in-past",
        "held-in-future",
        "action-without-owner",
        "action-without-date",
        "too-long",
        "blank",
        "nobody",
    ],
)
def test_bad_input_is_a_field_error_and_nothing_is_written(tb_admin, clinician, overrides, field):
    with pytest.raises(DomainError) as refused:
        record(tb_admin, clinician.clinician_profile, **overrides)
    assert refused.value.field == field
    assert nothing_written()


def test_the_api_answers_bad_input_with_field_errors_never_a_500(tb_admin, clinician, client):
    signed_in(client, tb_admin)
    base = {
        "clinician": str(clinician.clinician_profile.pk),
        "held_on": (today() - timedelta(days=1)).isoformat(),
        "participants": "Both of us",
        "aspirations": "To lead.",
    }
    cases = {
        "next_conversation_on": {"next_conversation_on": (today() - timedelta(days=3)).isoformat()},
        "actions": {"actions": [{"description": "Do a thing", "due_on": today().isoformat()}]},
        "aspirations": {"aspirations": "x" * (ASPIRATIONS_MAX_LENGTH + 1)},
        "clinician": {"clinician": "not-an-id"},
    }
    for field, change in cases.items():
        response = client.post(
            reverse("talent_api:list_conversations"), {**base, **change}, content_type="application/json"
        )
        assert response.status_code == 400, (field, response.content)
        assert field in response.json(), (field, response.json())
    assert nothing_written()

    created = client.post(reverse("talent_api:list_conversations"), base, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["aspirations"] == "To lead."


def test_the_page_shows_the_errors_and_keeps_nothing(tb_admin, clinician, client):
    url = reverse("talent:record_conversation", kwargs={"profile_id": clinician.clinician_profile.pk})
    yesterday = today() - timedelta(days=1)
    response = signed_in(client, tb_admin).post(
        url,
        {
            "held_on_day": yesterday.day,
            "held_on_month": yesterday.month,
            "held_on_year": yesterday.year,
            "participants": "Both of us",
            "aspirations": "To lead.",
            "action_1_description": "Join the QI group",
            "action_1_due_on_day": "1",
            "action_1_due_on_month": "1",
            "action_1_due_on_year": "2027",
            "next_conversation_on_day": "1",
            "next_conversation_on_month": "1",
            "next_conversation_on_year": "2026",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "There is a problem" in content
    assert "Enter who owns action 1" in content
    assert nothing_written()


def test_recording_closes_the_open_follow_up_and_answers_the_request(tb_admin, clinician, training_body, nudge):
    profile = clinician.clinician_profile
    item = open_follow_up(profile=profile, training_body=training_body, nudge=nudge)
    services.conversation_request(user=clinician, message="I'd like to talk about leadership fellowships.")

    conversation = record(tb_admin, profile)

    item.refresh_from_db()
    assert (item.outcome, item.conversation) == (FollowUpOutcome.CONVERSATION, conversation)
    request = ConversationRequest.objects.get()
    assert (request.answered_at is not None, request.conversation) == (True, conversation)


def test_only_consenting_clinicians_of_the_admins_body(tb_admin, other_clinician, private_clinician):
    for profile in (other_clinician.clinician_profile, private_clinician.clinician_profile):
        with pytest.raises(DomainError) as refused:
            record(tb_admin, profile)
        assert refused.value.field == "clinician"
    assert nothing_written()


def test_the_clinician_confirms_once(tb_admin, clinician, client):
    conversation = record(tb_admin, clinician.clinician_profile)
    url = reverse("talent:show_my_conversation", kwargs={"conversation_id": conversation.pk})
    page = signed_in(client, clinician).get(url).content.decode()
    assert "I want to become a clinical director within five years." in page
    assert "Shadow the clinical director for a day" in page

    response = client.post(url, {"response": "confirmed", "comment": "A fair summary, thank you."})
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert (conversation.response, conversation.clinician_comment) == ("confirmed", "A fair summary, thank you.")
    assert AuditEvent.objects.filter(action="conversation.confirmed", actor=clinician).exists()
    assert OutboxMessage.objects.filter(kind="conversation_response", to_email=tb_admin.email).exists()

    again = client.post(
        reverse("talent_api:respond_to_conversation", kwargs={"conversation_id": conversation.pk}),
        {"response": "disputed", "version": "It was different."},
        content_type="application/json",
    )
    assert again.status_code == 409
    conversation.refresh_from_db()
    assert conversation.response == "confirmed"


def test_a_dispute_keeps_both_accounts(tb_admin, clinician, client):
    conversation = record(tb_admin, clinician.clinician_profile)
    api = reverse("talent_api:respond_to_conversation", kwargs={"conversation_id": conversation.pk})
    signed_in(client, clinician)

    missing = client.post(api, {"response": "disputed"}, content_type="application/json")
    assert missing.status_code == 400
    assert "version" in missing.json()

    response = client.post(
        api,
        {"response": "disputed", "version": "I said within ten years, not five."},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["aspirations"] == "I want to become a clinical director within five years."
    assert body["clinician_version"] == "I said within ten years, not five."

    admin_page = signed_in(client, tb_admin).get(
        reverse("talent:show_conversation", kwargs={"conversation_id": conversation.pk})
    )
    content = admin_page.content.decode()
    assert "I want to become a clinical director within five years." in content
    assert "I said within ten years, not five." in content
    assert "Disputed" in content


def test_a_clinician_asks_for_a_conversation_once(clinician, tb_admin, client):
    signed_in(client, clinician)
    response = client.post(reverse("talent:request_conversation"), {"message": "About fellowships"})
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="conversation_requested", to_email=tb_admin.email).exists()
    assert AuditEvent.objects.filter(action="conversation.requested", actor=clinician).exists()

    again = client.post(reverse("talent_api:list_conversation_requests"), {}, content_type="application/json")
    assert again.status_code == 409
    assert ConversationRequest.objects.count() == 1

    requests_page = signed_in(client, tb_admin).get(reverse("talent:list_conversation_requests")).content.decode()
    assert escape(clinician.full_name) in requests_page
    assert "About fellowships" in requests_page
    listed = client.get(reverse("talent_api:list_conversation_requests")).json()
    assert [r["clinician_name"] for r in listed["results"]] == [clinician.full_name]


def test_a_clinician_who_does_not_share_cannot_ask(private_clinician, client):
    response = signed_in(client, private_clinician).post(reverse("talent:request_conversation"), {"message": ""})
    assert response.status_code == 200
    assert "Share your profile with" in response.content.decode()
    assert not ConversationRequest.objects.exists()


def test_hee_staff_never_see_the_free_text(tb_admin, clinician, hee_staff, client):
    conversation = record(tb_admin, clinician.clinician_profile)
    signed_in(client, hee_staff)
    assert client.get(reverse("talent_api:list_conversations")).status_code == 403
    assert (
        client.get(reverse("talent_api:show_conversation", kwargs={"conversation_id": conversation.pk})).status_code
        == 403
    )
    assert (
        client.get(reverse("talent:show_conversation", kwargs={"conversation_id": conversation.pk})).status_code == 403
    )
    record_page = client.get(reverse("talent:show_clinician", kwargs={"profile_id": clinician.clinician_profile.pk}))
    assert "clinical director within five years" not in record_page.content.decode()


def test_the_clinician_home_counts_conversations_to_confirm(tb_admin, clinician, client):
    record(tb_admin, clinician.clinician_profile)
    home = signed_in(client, clinician).get(reverse("talent:show_clinician_home")).content.decode()
    assert "1 conversation to confirm" in home


def test_the_admin_home_counts_requests(tb_admin, training_body, client):
    for _ in range(3):
        services.conversation_request(user=ClinicianProfileFactory(training_body=training_body).user)
    home = signed_in(client, tb_admin).get(reverse("accounts:list_training_bodies")).content.decode()
    assert "Requests for career conversations: 3" in home


def test_the_conversation_list_takes_the_same_queries_at_10_and_at_many(tb_admin, training_body, client):
    def add(count):
        for _ in range(count):
            record(tb_admin, ClinicianProfileFactory(training_body=training_body))

    signed_in(client, tb_admin)
    add(10)
    with CaptureQueriesContext(connection) as ten:
        assert client.get(reverse("talent_api:list_conversations")).json()["count"] == 10
    add(30)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("talent_api:list_conversations")).json()["count"] == 40
    assert len(many) == len(ten)


def test_the_clinicians_data_download_includes_their_conversations_and_requests(tb_admin, clinician):
    services.conversation_request(user=clinician, message="About fellowships")
    record(tb_admin, clinician.clinician_profile)

    data = clinician_data_export(user=clinician)

    [conversation] = data["career_conversations"]
    assert conversation["aspirations"] == "I want to become a clinical director within five years."
    assert conversation["actions"][0]["owner"] == "Sam Jones"
    assert [r["message"] for r in data["conversation_requests"]] == ["About fellowships"]
