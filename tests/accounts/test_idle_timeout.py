"""A session left unused is ended: after SESSION_IDLE_MINUTES_STAFF (30) for staff roles and
SESSION_IDLE_MINUTES_CLINICIAN (120) for clinicians, the next page shows "You've been signed out" with a way back."""

from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from tests.factories import TEST_PASSWORD
from tests.mfa import security_code_entered

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
GUIDANCE = reverse("regulators:list_guidance")
SIGNED_OUT = reverse("accounts:show_signed_out")

# The service keeps sessions in the database (`db`); the idle limit also holds with a cache in front of it.
SESSION_ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]


def signed_in(client: Client, user) -> Client:
    with time_machine.travel(NOW, tick=False):
        response = client.post(reverse("accounts:sign_in"), {"username": user.email, "password": TEST_PASSWORD})
        assert response.status_code == 302
        security_code_entered(client, user)
    return client


def get_at(client: Client, minutes: float, path: str = GUIDANCE):
    with time_machine.travel(NOW + timedelta(minutes=minutes), tick=False):
        return client.get(path)


@pytest.mark.django_db
@pytest.mark.parametrize("engine", SESSION_ENGINES)
@pytest.mark.parametrize(
    ("who", "minutes"),
    [("clinician", 120), ("tb_admin", 30), ("hee_staff", 30), ("regional_hee_staff", 30), ("editor", 30)],
)
def test_a_session_unused_longer_than_the_limit_is_signed_out(client, request, settings, engine, who, minutes):
    settings.SESSION_ENGINE = engine
    signed_in(client, request.getfixturevalue(who))
    assert get_at(client, 1).wsgi_request.user.is_authenticated

    still_there = get_at(client, 1 + minutes - 1)
    assert still_there.status_code == 200 and still_there.wsgi_request.user.is_authenticated

    response = get_at(client, 1 + minutes - 1 + minutes + 1)

    assert response.status_code == 302
    assert response["Location"] == f"{SIGNED_OUT}?{urlencode({'next': GUIDANCE})}"
    assert not get_at(client, 2 * minutes + 2).wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_the_signed_out_page_says_why_and_signs_back_in_to_where_they_were(client, tb_admin):
    signed_in(client, tb_admin)
    get_at(client, 1, reverse("talent:list_clinicians"))

    response = get_at(client, 40, reverse("talent:list_clinicians") + "?region=london")
    page = get_at(client, 40, response["Location"])

    html = page.content.decode()
    assert page.status_code == 200
    assert "<h1>You've been signed out</h1>" in html
    assert "You have not used the service for 30 minutes" in html
    back = reverse("accounts:sign_in") + "?" + urlencode({"next": reverse("talent:list_clinicians") + "?region=london"})
    assert back.replace("&", "&amp;") in html
    with time_machine.travel(NOW + timedelta(minutes=41), tick=False):
        again = client.post(back, {"username": tb_admin.email, "password": TEST_PASSWORD})
    assert again["Location"] == reverse("talent:list_clinicians") + "?region=london"


@pytest.mark.django_db
def test_the_signed_out_page_never_links_away_from_the_service(client):
    page = client.get(SIGNED_OUT, {"next": "https://evil.example/"})

    assert "evil.example" not in page.content.decode()


@pytest.mark.django_db
def test_using_the_service_keeps_the_session_alive(client, hee_staff):
    """Every page counts as use: a member of staff working all morning stays signed in."""
    signed_in(client, hee_staff)

    for minutes in range(1, 6 * 60, 25):
        response = get_at(client, minutes)
        assert response.status_code == 200 and response.wsgi_request.user.is_authenticated, minutes


@pytest.mark.django_db
def test_the_limits_come_from_the_settings(client, clinician, settings):
    settings.SESSION_IDLE_MINUTES_CLINICIAN = 5
    signed_in(client, clinician)
    get_at(client, 1)

    assert get_at(client, 7)["Location"].startswith(SIGNED_OUT)


@pytest.mark.django_db
def test_an_idle_session_calling_the_api_gets_json_not_a_page(client, clinician):
    signed_in(client, clinician)
    get_at(client, 1)

    response = get_at(client, 200, reverse("accounts_api:show_my_account"))

    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
def test_an_idle_sign_out_revokes_the_api_tokens_made_in_that_session(client, clinician):
    signed_in(client, clinician)
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        token = client.post(
            reverse("accounts_api:obtain_token"),
            {"email": clinician.email, "password": TEST_PASSWORD},
            content_type="application/json",
        ).json()["token"]

    get_at(client, 200)

    with time_machine.travel(NOW + timedelta(minutes=201), tick=False):
        status = Client().get(reverse("accounts_api:show_my_account"), HTTP_AUTHORIZATION=f"Token {token}").status_code
    assert status == 401
