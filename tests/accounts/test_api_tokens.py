"""API tokens: hashed at rest, a new one per request, expiring (staff sooner), revoked on signing out of the session
that made them, and listed and revoked by their owner (API and page), every issue and revocation audited."""

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import SecurityEvent
from accounts.roles import holds_staff_role
from tests.clock import runs_at
from tests.conftest import ROLES
from tests.factories import TEST_PASSWORD
from tests.mfa import authenticator_confirmed, code_now

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

OBTAIN = reverse("accounts_api:obtain_token")
ME = reverse("accounts_api:show_my_account")
TOKENS = reverse("accounts_api:list_api_tokens")


def obtain(client: Client, user) -> str:
    response = client.post(OBTAIN, {"email": user.email, "password": TEST_PASSWORD}, content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def status_with(token: str) -> int:
    """What a program holding only this token gets from the API (no cookies)."""
    return Client().get(ME, HTTP_AUTHORIZATION=f"Token {token}").status_code


@pytest.mark.django_db
def test_each_request_gets_a_new_token_and_each_works(client, clinician):
    first, second = obtain(client, clinician), obtain(client, clinician)

    assert first != second
    assert status_with(first) == 200 and status_with(second) == 200


@pytest.mark.django_db
def test_tokens_are_stored_hashed_never_in_clear(client, clinician):
    """Someone who reads the database cannot use what they find there."""
    token = obtain(client, clinician)

    stored = AuthToken.objects.get(user=clinician)
    assert stored.digest == hashlib.sha512(token.encode()).hexdigest()
    assert token not in {stored.digest, stored.token_key}
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM knox_authtoken WHERE digest = %s OR token_key = %s", [token, token])
        assert cursor.fetchone()[0] == 0


@pytest.mark.django_db
def test_drf_clear_text_token_table_is_gone():
    """The old tokens (kept in clear, never expiring) were dropped with their table."""
    assert "authtoken_token" not in connection.introspection.table_names()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "hours"), [("clinician", 12), ("tb_admin", 8), ("hee_staff", 8), ("editor", 8)])
def test_a_token_stops_working_after_its_hours(client, request, who, hours):
    """API_TOKEN_HOURS (12) for clinicians, API_TOKEN_HOURS_STAFF (8) for staff."""
    user = request.getfixturevalue(who)
    body = {"email": user.email, "password": TEST_PASSWORD}
    if holds_staff_role(user):
        body["otp"] = code_now(authenticator_confirmed(user))
    response = client.post(OBTAIN, body, content_type="application/json")
    token = response.json()["token"]
    expiry = datetime.fromisoformat(response.json()["expiry"])
    assert timedelta(hours=hours) - timedelta(minutes=1) < expiry - NOW <= timedelta(hours=hours, minutes=1)

    with time_machine.travel(NOW + timedelta(hours=hours) - timedelta(minutes=5), tick=False):
        assert status_with(token) == 200
    with time_machine.travel(NOW + timedelta(hours=hours, minutes=5), tick=False):
        assert status_with(token) == 401


@pytest.mark.django_db
def test_api_token_hours_come_from_the_settings(client, clinician, settings):
    settings.API_TOKEN_HOURS = 2
    token = obtain(client, clinician)

    with time_machine.travel(NOW + timedelta(hours=2, minutes=5), tick=False):
        assert status_with(token) == 401


@pytest.mark.django_db
def test_signing_out_revokes_the_tokens_made_in_that_session_only(clinician):
    """A token asked for while signed in on the web ends with that session; one asked for by a program does not."""
    browser = Client()
    browser.post(reverse("accounts:sign_in"), {"username": clinician.email, "password": TEST_PASSWORD})
    from_the_session = obtain(browser, clinician)
    from_a_program = obtain(Client(), clinician)
    assert status_with(from_the_session) == 200

    browser.post(reverse("accounts:sign_out"))

    assert status_with(from_the_session) == 401
    assert status_with(from_a_program) == 200
    revoked = SecurityEvent.objects.get(action="security.token_revoked")
    assert revoked.user == clinician and revoked.detail["reason"] == "signed_out"


@pytest.mark.django_db
def test_signing_out_of_another_session_leaves_the_token(clinician):
    browser, other_browser = Client(), Client()
    browser.force_login(clinician)
    other_browser.force_login(clinician)
    token = obtain(browser, clinician)

    other_browser.post(reverse("accounts:sign_out"))

    assert status_with(token) == 200


@pytest.mark.django_db
def test_a_token_asked_for_as_someone_else_does_not_follow_the_browsers_session(clinician, other_clinician):
    """Signed in on the web as one person, a token for another is not tied to that session."""
    browser = Client()
    browser.force_login(clinician)
    token = obtain(browser, other_clinician)

    browser.post(reverse("accounts:sign_out"))

    assert status_with(token) == 200


@pytest.mark.django_db
def test_issuing_a_token_is_audited(client, clinician):
    obtain(client, clinician)

    event = SecurityEvent.objects.get(action="security.token_created")
    stored = AuthToken.objects.get(user=clinician)
    assert event.user == clinician and event.client_address == "127.0.0.1"
    assert event.detail["token"] == stored.token_key and event.detail["web_session"] is False


# --- Listing and revoking: API ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_owners_list_their_own_live_tokens_never_the_token_itself(client, clinician, other_clinician):
    older = AuthToken.objects.create(user=clinician, expiry=timedelta(hours=1))[0]
    current = obtain(client, clinician)
    AuthToken.objects.create(user=clinician, expiry=timedelta(hours=-1))  # expired
    AuthToken.objects.create(user=other_clinician)

    response = Client().get(TOKENS, HTTP_AUTHORIZATION=f"Token {current}")

    assert response.status_code == 200
    results = response.json()["results"]
    assert [row["id"] for row in results] == [current[:15], older.token_key]
    assert results[0]["current"] is True and results[1]["current"] is False
    assert set(results[0]) == {"id", "created", "expiry", "made_in_web_session", "current"}
    assert current not in response.content.decode()


@pytest.mark.django_db
def test_owners_revoke_a_token_and_it_stops_working(client, clinician):
    token = obtain(client, clinician)
    other = obtain(client, clinician)

    response = Client().delete(
        reverse("accounts_api:revoke_api_token", kwargs={"token_key": token[:15]}),
        HTTP_AUTHORIZATION=f"Token {other}",
    )

    assert response.status_code == 204
    assert status_with(token) == 401 and status_with(other) == 200
    event = SecurityEvent.objects.get(action="security.token_revoked")
    assert event.user == clinician and event.detail == {"token": token[:15], "reason": "revoked_by_owner"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_nobody_lists_or_revokes_someone_elses_token(client, user_for_role, clinician, role):
    """Another person's token does not exist for anyone else, by API or page (the owner is the control case)."""
    token = obtain(Client(), clinician)
    key = token[:15]
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    listed = client.get(TOKENS)
    api = client.delete(reverse("accounts_api:revoke_api_token", kwargs={"token_key": key}))
    page = client.post(reverse("accounts:revoke_api_token", kwargs={"token_key": key}))

    if role == "anonymous":
        assert (listed.status_code, api.status_code, page.status_code) == (401, 401, 302)
        assert page["Location"].startswith(reverse("accounts:sign_in"))
    elif role == "clinician":
        assert key in listed.content.decode() and api.status_code == 204
    else:
        assert key not in listed.content.decode()
        assert (api.status_code, page.status_code) == (404, 404)
    assert status_with(token) == (401 if role == "clinician" else 200)


# --- Listing and revoking: the account page --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_tokens_page_lists_and_revokes_without_javascript(client, clinician):
    token = obtain(Client(), clinician)
    client.force_login(clinician)

    page = client.get(reverse("accounts:list_api_tokens"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Your API tokens" in html and token[:15] in html and token not in html
    assert "which works for 12 hours" in html
    revoke_url = reverse("accounts:revoke_api_token", kwargs={"token_key": token[:15]})
    assert f'action="{revoke_url}"' in html

    response = client.post(revoke_url, follow=True)

    assert response.redirect_chain == [(reverse("accounts:list_api_tokens"), 302)]
    html = response.content.decode()
    assert f"The token starting {token[:15]} is revoked" in html
    assert "You have no API tokens that still work." in html
    assert status_with(token) == 401


@pytest.mark.django_db
def test_a_password_change_revokes_every_token_and_audits_it(client, clinician):
    token = obtain(Client(), clinician)
    client.force_login(clinician)

    client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": "Another-Good-Pass-5", "new_password2": "Another-Good-Pass-5"},
    )

    assert status_with(token) == 401
    assert SecurityEvent.objects.get(action="security.token_revoked").detail["reason"] == "password_changed"


@pytest.mark.django_db
def test_the_daily_job_deletes_expired_tokens_and_keeps_live_ones(client, clinician):
    from accounts.tasks import purge_expired_api_tokens_task

    live = obtain(Client(), clinician)
    browser = Client()
    browser.force_login(clinician)
    obtain(browser, clinician)  # tied to a session, to show its link goes with it
    with time_machine.travel(NOW + timedelta(hours=13), tick=False):
        fresh = obtain(Client(), clinician)
        purge_expired_api_tokens_task.delay()

        assert list(AuthToken.objects.values_list("token_key", flat=True)) == [fresh[:15]]
        assert status_with(fresh) == 200 and status_with(live) == 401


@pytest.mark.django_db
def test_a_token_costs_one_query_to_check(clinician, django_assert_num_queries):
    """Knox would also read all the person's other tokens on every call."""
    token = obtain(Client(), clinician)
    AuthToken.objects.create(user=clinician, expiry=timedelta(hours=-1))
    from accounts.authentication import ExpiringTokenAuthentication

    with django_assert_num_queries(1):
        user, _ = ExpiringTokenAuthentication().authenticate_credentials(token.encode())
    assert user == clinician
