"""Throttles on the forms anyone can post an email address to: per address and per client address (behind
PROXY_COUNT proxies), answered with the NHS.UK "too many attempts" page and status 429, never an error."""

import math
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import TEST_PASSWORD, ClinicianFactory

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock_stands_still():
    """The counts live in fixed windows (an hour from a moment that depends on the key): with the clock standing
    still, a test never straddles the end of one."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def tight_limits(settings):
    settings.THROTTLE_PER_ADDRESS_RATE = "3/h"
    settings.THROTTLE_PER_CLIENT_RATE = "5/h"
    return settings


def sign_in(client, email, password, **headers):
    return client.post(reverse("accounts:sign_in"), {"username": email, "password": password}, **headers)


def assert_throttled(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>Too many attempts</h1>" in html
    wait = int(response["Retry-After"])
    assert 0 < wait <= 3600
    minutes = math.ceil(wait / 60)
    assert f"Wait {minutes} minute{'s' if minutes != 1 else ''}, then try again." in html


@pytest.mark.django_db
def test_one_client_trying_a_password_on_many_accounts_is_stopped(client, tight_limits):
    """Password spraying: failures against five different accounts from one address, then even the right password
    for a sixth account is refused from that address, while another address can still sign in."""
    for n in range(5):
        ClinicianFactory(email=f"sprayed{n}@example.nhs.uk")
        assert sign_in(client, f"sprayed{n}@example.nhs.uk", "Summer2026!").status_code == 200
    target = ClinicianFactory()

    assert_throttled(sign_in(client, target.email, TEST_PASSWORD))
    elsewhere = sign_in(client, target.email, TEST_PASSWORD, REMOTE_ADDR="198.51.100.7")
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_successful_sign_ins_from_one_address_are_not_throttled(client, tight_limits):
    """Colleagues behind one shared address who sign in correctly never use up the allowance."""
    people = ClinicianFactory.create_batch(8)
    for person in people:
        response = sign_in(client, person.email, TEST_PASSWORD)
        assert response.status_code == 302
        client.post(reverse("accounts:sign_out"))


@pytest.mark.django_db
def test_the_client_is_the_address_the_trusted_proxy_saw(client, tight_limits):
    """Behind one proxy, the client is the last X-Forwarded-For entry: changing the entries before it (which the
    client writes itself) does not escape the limit, and the proxy's own address is not the key."""
    tight_limits.PROXY_COUNT = 1
    target = ClinicianFactory()
    for n in range(5):
        sign_in(client, f"nobody{n}@example.nhs.uk", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.5")

    assert_throttled(sign_in(client, target.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5"))
    other_client = sign_in(client, target.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other_client.status_code == 302


@pytest.mark.django_db
def test_failures_for_one_address_are_limited_from_any_client(client, tight_limits):
    """Guessing one account's password from many addresses is limited too, before the lock-out's five."""
    target = ClinicianFactory()
    for n in range(3):
        sign_in(client, target.email, "wrong", REMOTE_ADDR=f"198.51.100.{n}")

    assert_throttled(sign_in(client, target.email.upper(), TEST_PASSWORD, REMOTE_ADDR="198.51.100.99"))


SIGN_UP = {"full_name": "Grace Mensah", "password1": "Leadership-Journey-42", "password2": "Leadership-Journey-42"}
FORMS = [
    pytest.param("accounts:sign_up", SIGN_UP, id="sign-up"),
    pytest.param("accounts:resend_confirmation", {}, id="new-confirmation-link"),
    pytest.param("accounts:reset_password", {}, id="password-reset"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "fields"), FORMS)
def test_one_address_can_be_sent_only_so_many_emails(client, tight_limits, url_name, fields):
    """Asking again and again for the same address (in any capitals, from any client) is refused after the limit,
    so nobody can flood a person's inbox."""
    for n in range(3):
        response = client.post(
            reverse(url_name), {**fields, "email": "flood.me@example.nhs.uk"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert response.status_code == 302

    assert_throttled(
        client.post(reverse(url_name), {**fields, "email": "FLOOD.ME@example.nhs.uk"}, REMOTE_ADDR="198.51.100.50")
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "fields"), FORMS)
def test_one_client_can_ask_only_so_many_times(client, tight_limits, url_name, fields):
    """One client asking for many addresses is refused after the limit; another client is not."""
    for n in range(5):
        response = client.post(reverse(url_name), {**fields, "email": f"person{n}@example.org"})
        assert response.status_code == 302

    assert_throttled(client.post(reverse(url_name), {**fields, "email": "person99@example.org"}))
    other = client.post(reverse(url_name), {**fields, "email": "person99@example.org"}, REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 302


@pytest.mark.django_db
def test_the_token_endpoint_shares_the_sign_in_pages_allowance_of_failures(client, tight_limits):
    """Failures through the API count against the same address as the sign-in page's, and the other way round:
    neither door gives a fresh allowance."""
    target = ClinicianFactory()
    token_url = reverse("accounts_api:obtain_token")
    for _ in range(2):
        assert sign_in(client, target.email, "wrong").status_code == 200
    assert client.post(token_url, {"email": target.email.upper(), "password": "wrong"}).status_code == 400

    refused = client.post(token_url, {"email": target.email, "password": TEST_PASSWORD})

    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("Request was throttled.")
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert_throttled(sign_in(client, target.email, TEST_PASSWORD))
