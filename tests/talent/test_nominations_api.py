"""The nominations API: scoped list and create, one nomination, and the actions with 400/403/404/409 answers."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import OutboxMessage
from talent.models import Nomination, NominationState
from tests.factories import ClinicianProfileFactory
from tests.talent.nomination_fixtures import delivered_emails, nomination_in_state

S = NominationState


def api_as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def action_url(nomination, action: str) -> str:
    return reverse(f"talent_api:{action}_nomination", kwargs={"nomination_id": nomination.pk})


def test_a_clinician_applies_through_the_api(clinician, tb_admin, open_opportunity):
    response = api_as(clinician).post(
        reverse("talent_api:list_nominations"),
        {"opportunity": str(open_opportunity.pk), "supporting_statement": "I lead our rota redesign."},
        format="json",
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["state"] == "submitted" and body["route"] == "application"
    assert body["opportunity"] == str(open_opportunity.pk)
    assert body["training_body"] == clinician.clinician_profile.training_body.slug


def test_an_admin_nominates_through_the_api(clinician, tb_admin, open_opportunity, private_clinician):
    client = api_as(tb_admin)
    url = reverse("talent_api:list_nominations")

    created = client.post(
        url,
        {
            "opportunity": str(open_opportunity.pk),
            "clinician": str(clinician.clinician_profile.pk),
            "supporting_statement": "Ready.",
        },
        format="json",
    )
    hidden = client.post(
        url,
        {
            "opportunity": str(open_opportunity.pk),
            "clinician": str(private_clinician.clinician_profile.pk),
            "supporting_statement": "Ready.",
        },
        format="json",
    )

    assert created.status_code == 201 and created.json()["state"] == "pending_nominee"
    assert hidden.status_code == 400 and "clinician" in hidden.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"supporting_statement": "x"}, "opportunity"),
        ({"opportunity": "not-a-uuid", "supporting_statement": "x"}, "opportunity"),
        ({"opportunity": "OPEN", "supporting_statement": ""}, "supporting_statement"),
    ],
)
def test_bad_applications_answer_400_with_the_field(clinician, open_opportunity, payload, field):
    payload = {k: (str(open_opportunity.pk) if v == "OPEN" else v) for k, v in payload.items()}

    response = api_as(clinician).post(reverse("talent_api:list_nominations"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Nomination.objects.exists()


def test_applying_for_a_draft_or_closed_opportunity_is_refused(clinician, draft_opportunity, closed_opportunity):
    client = api_as(clinician)
    for opportunity in (draft_opportunity, closed_opportunity):
        response = client.post(
            reverse("talent_api:list_nominations"),
            {"opportunity": str(opportunity.pk), "supporting_statement": "Please."},
            format="json",
        )
        assert response.status_code == 400
        assert "opportunity" in response.json()
    assert not Nomination.objects.exists()


def test_the_list_is_scoped_and_does_not_grow_in_queries(
    clinician,
    tb_admin,
    other_tb_admin,
    training_body,
    open_opportunity,
    other_body_nomination,
    django_assert_max_num_queries,
):
    for _ in range(12):
        nomination_in_state(
            S.SUBMITTED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=open_opportunity
        )
    mine = nomination_in_state(S.APPROVED, profile=clinician.clinician_profile, opportunity=open_opportunity)

    with django_assert_max_num_queries(8):
        admin_list = api_as(tb_admin).get(reverse("talent_api:list_nominations")).json()
    with django_assert_max_num_queries(8):
        own_list = api_as(clinician).get(reverse("talent_api:list_nominations")).json()
    other_list = api_as(other_tb_admin).get(reverse("talent_api:list_nominations")).json()

    assert admin_list["count"] == 13
    assert str(other_body_nomination.pk) not in {row["id"] for row in admin_list["results"]}
    assert [row["id"] for row in own_list["results"]] == [str(mine.pk)]
    assert [row["id"] for row in other_list["results"]] == [str(other_body_nomination.pk)]


def test_the_list_filters_by_state(tb_admin, submitted_nomination, pending_nominee_nomination):
    client = api_as(tb_admin)

    waiting = client.get(reverse("talent_api:list_nominations"), {"state": "pending_nominee"}).json()
    unknown = client.get(reverse("talent_api:list_nominations"), {"state": "lost"})

    assert [row["id"] for row in waiting["results"]] == [str(pending_nominee_nomination.pk)]
    assert unknown.status_code == 400 and "state" in unknown.json()


def test_rejecting_without_a_reason_is_400_then_with_one_it_stands(tb_admin, clinician, submitted_nomination):
    client = api_as(tb_admin)

    missing = client.post(action_url(submitted_nomination, "reject"), {}, format="json")
    done = client.post(action_url(submitted_nomination, "reject"), {"reason": "Not this year."}, format="json")

    assert missing.status_code == 400 and "reason" in missing.json()
    assert done.status_code == 200
    assert done.json()["state"] == "rejected" and done.json()["decision_reason"] == "Not this year."
    seen_by_clinician = api_as(clinician).get(
        reverse("talent_api:show_nomination", kwargs={"nomination_id": submitted_nomination.pk})
    )
    assert seen_by_clinician.json()["state"] == "rejected"


def test_the_api_says_who_rejected_a_nomination_and_why(tb_admin, clinician, submitted_nomination):
    """The admin's answer and the clinician's reads name the admin who rejected the nomination, and the reason."""
    reason = "Places this year went to trainees further on in their programme."

    answer = api_as(tb_admin).post(action_url(submitted_nomination, "reject"), {"reason": reason}, format="json")
    as_clinician = api_as(clinician)
    detail = as_clinician.get(reverse("talent_api:show_nomination", kwargs={"nomination_id": submitted_nomination.pk}))
    [listed] = as_clinician.get(reverse("talent_api:list_nominations")).json()["results"]

    assert answer.status_code == 200
    for body in (answer.json(), detail.json(), listed):
        assert (body["state"], body["decided_by"], body["decision_reason"]) == ("rejected", tb_admin.full_name, reason)


def test_an_approval_note_sent_through_the_api_reaches_the_clinician(tb_admin, clinician, submitted_nomination):
    """The note given with an approval is in the answer, in the clinician's read of it and in their email."""
    note = "Well deserved: the faculty will write to you about dates."

    answer = api_as(tb_admin).post(action_url(submitted_nomination, "approve"), {"note": note}, format="json")
    detail = api_as(clinician).get(
        reverse("talent_api:show_nomination", kwargs={"nomination_id": submitted_nomination.pk})
    )

    assert answer.status_code == 200
    for body in (answer.json(), detail.json()):
        assert (body["state"], body["decided_by"], body["decision_reason"]) == ("approved", tb_admin.full_name, note)
    [email] = delivered_emails()
    assert email.to == [clinician.email]
    assert f"Their note: {note}" in email.body


def test_an_illegal_transition_answers_409_with_the_current_state(tb_admin, clinician, approved_nomination):
    approve_again = api_as(tb_admin).post(action_url(approved_nomination, "approve"), {}, format="json")
    withdraw = api_as(clinician).post(action_url(approved_nomination, "withdraw"), {}, format="json")

    for response in (approve_again, withdraw):
        assert response.status_code == 409
        assert response.json()["state"] == "approved"
        assert "This nomination was already approved by" in response.json()["detail"]


def test_places_full_answers_409(tb_admin, training_body, second_open_opportunity):
    second_open_opportunity.places = 1
    second_open_opportunity.save()
    nomination_in_state(
        S.APPROVED,
        profile=ClinicianProfileFactory(training_body=training_body),
        opportunity=second_open_opportunity,
        admin=tb_admin,
    )
    waiting = nomination_in_state(
        S.SUBMITTED, profile=ClinicianProfileFactory(training_body=training_body), opportunity=second_open_opportunity
    )

    response = api_as(tb_admin).post(action_url(waiting, "approve"), {}, format="json")

    assert response.status_code == 409
    assert response.json()["state"] == "submitted"
    assert "places on Second open fellowship are taken" in response.json()["detail"]


def test_the_schema_documents_the_nomination_endpoints(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    paths = schema["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/nominations/"])
    for action in ("accept", "decline", "withdraw", "approve", "reject"):
        responses = paths[f"/api/v1/nominations/{{nomination_id}}/{action}/"]["post"]["responses"]
        assert {"200", "404", "409"} <= set(responses)
    reject = paths["/api/v1/nominations/{nomination_id}/reject/"]["post"]["requestBody"]
    assert reject["content"]["application/json"]["schema"]["$ref"].endswith("/Reject")
    assert schema["components"]["schemas"]["NominationState"]["enum"] == S.values


# --- Length limits ------------------------------------------------------------------------------------------------

# (who sends it, endpoint, field, limit). Limits are written out, not read from the code.
LIMITED_FIELDS = [
    pytest.param("clinician", "apply", "supporting_statement", 5000, id="application statement"),
    pytest.param("tb_admin", "nominate", "supporting_statement", 5000, id="nomination statement"),
    pytest.param("tb_admin", "approve", "note", 2000, id="approval note"),
    pytest.param("tb_admin", "reject", "reason", 2000, id="rejection reason"),
]


@pytest.fixture
def limited_request(request, clinician, open_opportunity):
    """The client of whoever sends the text, the URL, and the rest of the body to send it with."""

    def prepare(who: str, endpoint: str):
        client = api_as(request.getfixturevalue(who))
        if endpoint == "apply":
            return client, reverse("talent_api:list_nominations"), {"opportunity": str(open_opportunity.pk)}
        if endpoint == "nominate":
            body = {"opportunity": str(open_opportunity.pk), "clinician": str(clinician.clinician_profile.pk)}
            return client, reverse("talent_api:list_nominations"), body
        nomination = nomination_in_state(S.SUBMITTED, profile=clinician.clinician_profile, opportunity=open_opportunity)
        return client, action_url(nomination, endpoint), {}

    return prepare


@pytest.mark.parametrize(("who", "endpoint", "field", "limit"), LIMITED_FIELDS)
def test_text_of_exactly_the_limit_is_accepted_and_kept_whole(limited_request, who, endpoint, field, limit):
    """A statement of 5,000 characters, or a note or reason of 2,000, is accepted and comes back whole."""
    client, url, body = limited_request(who, endpoint)
    sent = "x" * (limit - 1) + "z"

    response = client.post(url, {**body, field: sent}, format="json")

    assert response.status_code in (200, 201), response.json()
    shown = response.json()["supporting_statement" if field == "supporting_statement" else "decision_reason"]
    assert shown == sent
    saved = Nomination.objects.get()
    assert (saved.supporting_statement if field == "supporting_statement" else saved.decision_reason) == sent


@pytest.mark.parametrize(("who", "endpoint", "field", "limit"), LIMITED_FIELDS)
def test_one_character_over_the_limit_answers_400_naming_the_field(limited_request, who, endpoint, field, limit):
    """One character more answers 400 with the field and its limit, and nothing is saved or sent."""
    client, url, body = limited_request(who, endpoint)
    before = list(Nomination.objects.values_list("pk", "state", "decision_reason"))

    response = client.post(url, {**body, field: "x" * (limit + 1)}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert str(limit) in response.json()[field][0]
    assert list(Nomination.objects.values_list("pk", "state", "decision_reason")) == before
    assert not OutboxMessage.objects.exists()


def test_the_schema_gives_the_length_limits(client):
    """API clients can read the limits before sending: 5,000 characters for a statement, 2,000 for a note or reason."""
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    schemas = schema["components"]["schemas"]
    assert schemas["NominationCreate"]["properties"]["supporting_statement"]["maxLength"] == 5000
    assert schemas["Approve"]["properties"]["note"]["maxLength"] == 2000
    assert schemas["Reject"]["properties"]["reason"]["maxLength"] == 2000


def test_a_party_asking_for_the_other_partys_action_is_told_it_is_not_theirs(clinician, tb_admin, submitted_nomination):
    """The nominee cannot approve their own application, nor the body's admin accept it for them: 403, in words."""
    refused = {
        "clinician approves": api_as(clinician).post(action_url(submitted_nomination, "approve"), {}, format="json"),
        "admin accepts": api_as(tb_admin).post(action_url(submitted_nomination, "accept"), {}, format="json"),
    }

    for who, response in refused.items():
        assert response.status_code == 403, who
        assert response.json() == {"detail": "You cannot do this to this nomination."}, who
    submitted_nomination.refresh_from_db()
    assert submitted_nomination.state == "submitted"


def test_an_action_a_party_may_take_only_in_another_state_is_refused_with_now(tb_admin, submitted_nomination):
    """The body's admin may take back a nomination the nominee has not yet accepted, not an application."""
    response = api_as(tb_admin).post(action_url(submitted_nomination, "withdraw"), {}, format="json")

    assert response.status_code == 403
    assert response.json() == {"detail": "You cannot do this to this nomination now."}
