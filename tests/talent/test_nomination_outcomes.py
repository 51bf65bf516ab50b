"""What became of an approved nomination: recorded, and corrected, only by the admins of its training body, on the
review page and through `nominations/{id}/outcome/`; the clinician sees it with their nominations."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import AuditEvent
from talent.models import Nomination, NominationState
from tests.clock import runs_at
from tests.conftest import ROLES
from tests.talent.nomination_fixtures import nomination_in_state

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Europe/London"))
_at_now = runs_at(NOW)

# Approved the day before NOW (nomination_in_state), so 24 November 2026 is the earliest date an outcome may have.
OUTCOME = {"outcome": "completed", "date": "2026-11-25", "note": "Finished the programme with distinction."}
PAGE_OUTCOME = {
    "action": "outcome",
    "outcome": "completed",
    "date_day": "25",
    "date_month": "11",
    "date_year": "2026",
    "note": "Finished the programme with distinction.",
}

# Who may record the outcome of `clinician`'s nomination (decided by `training_body`, whose admin is `tb_admin`).
PAGE_ANSWERS = {
    "anonymous": 302,  # to sign in
    "clinician": 403,
    "other_clinician": 403,
    "tb_admin": 302,  # recorded, back to the review page
    "other_tb_admin": 404,
    "hee_staff": 403,
    "regional_hee_staff": 403,
    "editor": 403,
}
API_ANSWERS = {
    "anonymous": 401,
    "clinician": 403,  # their own nomination, but not theirs to record
    "other_clinician": 404,
    "tb_admin": 200,
    "other_tb_admin": 404,
    "hee_staff": 403,
    "regional_hee_staff": 403,
    "editor": 403,
}


def outcome_url(nomination) -> str:
    return reverse("talent_api:record_nomination_outcome", kwargs={"nomination_id": nomination.pk})


def review_url(nomination) -> str:
    return reverse("talent:review_nomination", kwargs={"nomination_id": nomination.pk})


def api_as(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_only_an_admin_of_the_deciding_body_records_an_outcome_on_the_page(
    client, approved_nomination, user_for_role, role
):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    response = client.post(review_url(approved_nomination), PAGE_OUTCOME)

    assert response.status_code == PAGE_ANSWERS[role]
    approved_nomination.refresh_from_db()
    if role == "tb_admin":
        assert response["Location"] == review_url(approved_nomination)
        assert approved_nomination.outcome == "completed"
        assert approved_nomination.outcome_on == date(2026, 11, 25)
    else:
        assert approved_nomination.outcome == ""
        assert not AuditEvent.objects.filter(action__startswith="nomination.outcome").exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_an_admin_of_the_deciding_body_records_an_outcome_through_the_api(
    approved_nomination, user_for_role, role
):
    response = api_as(user_for_role(role)).post(outcome_url(approved_nomination), OUTCOME, format="json")

    assert response.status_code == API_ANSWERS[role], response.content
    approved_nomination.refresh_from_db()
    if role == "tb_admin":
        body = response.json()
        assert body["outcome"]["outcome"] == "completed" and body["outcome"]["date"] == "2026-11-25"
        assert body["outcome"]["note"] == "Finished the programme with distinction."
        assert approved_nomination.outcome == "completed"
    else:
        assert approved_nomination.outcome == ""


@pytest.mark.parametrize(
    "state", [NominationState.PENDING_NOMINEE, NominationState.SUBMITTED, NominationState.REJECTED, "withdrawn"]
)
def test_a_nomination_that_was_not_approved_takes_no_outcome(clinician, open_opportunity, tb_admin, client, state):
    """The API answers 409 with the state, as the other nomination actions do; the page says why; nothing is kept."""
    nomination = nomination_in_state(
        state, profile=clinician.clinician_profile, opportunity=open_opportunity, admin=tb_admin
    )

    response = api_as(tb_admin).post(outcome_url(nomination), OUTCOME, format="json")
    assert response.status_code == 409
    assert response.json()["state"] == state
    assert "Only an approved nomination has an outcome to record" in response.json()["detail"]

    client.force_login(tb_admin)
    page = client.post(review_url(nomination), PAGE_OUTCOME, follow=True)
    assert "Only an approved nomination has an outcome to record" in page.content.decode()
    nomination.refresh_from_db()
    assert nomination.outcome == ""


def test_the_review_page_offers_the_outcome_form_only_once_approved(client, tb_admin, approved_nomination):
    client.force_login(tb_admin)
    page = client.get(review_url(approved_nomination)).content.decode()
    assert 'id="outcome"' in page and "Did not take up the place" in page


def test_the_review_page_of_a_waiting_nomination_has_no_outcome_form(client, tb_admin, submitted_nomination):
    client.force_login(tb_admin)
    assert 'id="outcome"' not in client.get(review_url(submitted_nomination)).content.decode()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"date": "2026-11-26"}, "date", "The date must be today or in the past"),
        ({"date": "2026-11-23"}, "date", "The date must be on or after the day it was approved, 24 November 2026"),
        ({"outcome": "promoted"}, "outcome", None),
        ({"date": "yesterday"}, "date", None),
        ({"note": "x" * 2001}, "note", None),
    ],
)
def test_bad_outcome_input_is_a_400_naming_the_field(tb_admin, approved_nomination, change, field, message):
    response = api_as(tb_admin).post(outcome_url(approved_nomination), {**OUTCOME, **change}, format="json")

    assert response.status_code == 400
    errors = response.json()
    assert field in errors
    if message:
        assert message in str(errors[field])
    approved_nomination.refresh_from_db()
    assert approved_nomination.outcome == ""


def test_a_date_before_the_approval_is_a_field_error_on_the_page(client, tb_admin, approved_nomination):
    client.force_login(tb_admin)
    response = client.post(review_url(approved_nomination), {**PAGE_OUTCOME, "date_day": "1"})

    assert response.status_code == 200
    assert response.context["outcome_form"].errors["date"] == [
        "The date must be on or after the day it was approved, 24 November 2026"
    ]


def test_an_outcome_can_be_corrected_and_each_change_is_audited_with_before_and_after(tb_admin, approved_nomination):
    client = api_as(tb_admin)
    client.post(outcome_url(approved_nomination), OUTCOME, format="json")
    response = client.post(
        outcome_url(approved_nomination),
        {"outcome": "did_not_take_up", "date": "2026-11-24", "note": ""},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["outcome"]["outcome"] == "did_not_take_up"
    recorded, corrected = AuditEvent.objects.filter(action__startswith="nomination.outcome").order_by("pk")
    assert recorded.action == "nomination.outcome_recorded" and recorded.actor == tb_admin
    assert recorded.detail["before"] is None
    assert recorded.detail["after"] == {
        "outcome": "completed",
        "on": "2026-11-25",
        "note": "Finished the programme with distinction.",
    }
    assert corrected.action == "nomination.outcome_corrected"
    assert corrected.detail["before"] == recorded.detail["after"]
    assert corrected.detail["after"] == {"outcome": "did_not_take_up", "on": "2026-11-24", "note": ""}


def test_the_clinician_sees_what_became_of_their_nomination(client, clinician, tb_admin, approved_nomination):
    client.force_login(clinician)
    assert "Not recorded yet" in client.get(reverse("talent:list_my_nominations")).content.decode()

    api_as(tb_admin).post(outcome_url(approved_nomination), OUTCOME, format="json")

    page = client.get(reverse("talent:list_my_nominations")).content.decode()
    assert "Completed on 25 November 2026" in page
    detail = client.get(reverse("talent:show_my_nomination", kwargs={"nomination_id": approved_nomination.pk}))
    assert "Finished the programme with distinction." in detail.content.decode()


def test_the_database_refuses_an_outcome_on_a_nomination_that_is_not_approved(submitted_nomination):
    with pytest.raises(IntegrityError):
        Nomination.objects.filter(pk=submitted_nomination.pk).update(
            outcome="completed", outcome_on=date(2026, 11, 25), outcome_recorded_at=NOW
        )


def test_the_database_refuses_an_undated_outcome(approved_nomination):
    with pytest.raises(IntegrityError):
        Nomination.objects.filter(pk=approved_nomination.pk).update(outcome="completed")
