"""Sign in, sign out, brute-force protection, password change and reset."""

import re
from datetime import timedelta
from http.cookies import SimpleCookie

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD, ClinicianFactory


def sign_in(client, email, password):
    return client.post(reverse("accounts:sign_in"), {"username": email, "password": password})


@pytest.mark.django_db
def test_signing_in_takes_each_role_to_its_home(client, clinician, tb_admin, hee_staff, editor):
    """After signing in, each person lands on their own role's home page."""
    homes = {
        clinician: "talent:show_clinician_home",
        tb_admin: "accounts:list_training_bodies",
        hee_staff: "pipeline:show_dashboard",
        editor: "accounts:show_editor_home",
    }
    for user, url_name in homes.items():
        response = sign_in(client, user.email.upper(), TEST_PASSWORD)
        assert response["Location"] == reverse(url_name)
        client.post(reverse("accounts:sign_out"))


@pytest.mark.django_db
def test_a_wrong_password_shows_an_error_summary(client, clinician):
    """A wrong password keeps you on the sign-in page with a clear error linked from the summary."""
    response = sign_in(client, clinician.email, "wrong-password")

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter a correct email address and password" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine",
    # Without a shared cache, and with one (sessions read from the cache first).
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"],
)
def test_signing_out_ends_the_session(client, clinician, settings, engine):
    """After signing out, your pages ask you to sign in again, even to someone who kept a copy of the cookie."""
    settings.SESSION_ENGINE = engine
    client.force_login(clinician)
    assert client.get(reverse("talent:show_clinician_home")).status_code == 200
    kept = Client()
    kept.cookies = SimpleCookie({name: morsel.value for name, morsel in client.cookies.items()})

    response = client.post(reverse("accounts:sign_out"))

    assert response.status_code == 302
    assert client.get(reverse("talent:show_clinician_home"))["Location"].startswith(reverse("accounts:sign_in"))
    assert kept.get(reverse("talent:show_clinician_home"))["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.django_db
def test_five_failures_pause_the_account_for_fifteen_minutes_then_it_recovers(client, clinician):
    """After 5 wrong passwords even the right one is refused with a clear message; 15 minutes later it works."""
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(4):
            assert sign_in(client, clinician.email, "wrong-password").status_code == 200
        fifth = sign_in(client, clinician.email, "wrong-password")
        assert fifth.status_code == 429
        assert "Too many attempts to sign in" in fifth.content.decode()

        locked = sign_in(client, clinician.email, TEST_PASSWORD)
        assert locked.status_code == 429
        assert "Too many attempts to sign in" in locked.content.decode()
        assert "not locked permanently" in locked.content.decode()

    with time_machine.travel(start + timedelta(minutes=14), tick=False):
        assert sign_in(client, clinician.email, TEST_PASSWORD).status_code == 429

    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        response = sign_in(client, clinician.email, TEST_PASSWORD)
        assert response.status_code == 302
        assert response["Location"] == reverse("talent:show_clinician_home")


@pytest.mark.django_db
def test_a_lock_on_one_account_does_not_affect_another(client, clinician, other_clinician):
    """Failures count per account: colleagues on the same network can still sign in."""
    for _ in range(5):
        sign_in(client, clinician.email, "wrong-password")

    response = sign_in(client, other_clinician.email, TEST_PASSWORD)

    assert response.status_code == 302


@pytest.mark.django_db
def test_password_change_needs_the_old_password_and_a_strong_new_one(client, clinician):
    """A wrong old password or a weak new one is refused with field errors; a good change lets you sign in."""
    client.force_login(clinician)
    url = reverse("accounts:change_password")

    wrong = client.post(
        url, {"old_password": "nope", "new_password1": "A-Much-Better-Pass-7", "new_password2": "A-Much-Better-Pass-7"}
    )
    assert "Your current password is not right" in wrong.content.decode()
    weak = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": "12345", "new_password2": "12345"})
    assert "Password must be 12 characters or more" in weak.content.decode()

    done = client.post(
        url,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "A-Much-Better-Pass-7",
            "new_password2": "A-Much-Better-Pass-7",
        },
    )
    assert done.status_code == 302
    client.post(reverse("accounts:sign_out"))
    assert sign_in(client, clinician.email, "A-Much-Better-Pass-7").status_code == 302


@pytest.mark.django_db
def test_password_reset_emails_a_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    """Forgotten password: the emailed link lets you choose a new password and sign in with it."""
    user = ClinicianFactory(email="reset.me@example.nhs.uk")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:reset_password"), {"email": "reset.me@example.nhs.uk"})
    assert response["Location"] == reverse("accounts:show_password_reset_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Reset your Leadership Talent Tracker password"
    assert message.alternatives and message.alternatives[0][1] == "text/html"
    assert "http://127.0.0.1:8000/password-reset/" in message.body  # links come from SITE_URL, not the Host header
    path = re.search(r"http://127.0.0.1:8000(/password-reset/\S+/)", message.body).group(1)

    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Fresh-Start-Pass-88", "new_password2": "Fresh-Start-Pass-88"},
    )
    assert done["Location"] == reverse("accounts:show_password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Fresh-Start-Pass-88")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_says_the_same_and_sends_nothing(
    client, django_capture_on_commit_callbacks
):
    """The reset page does not reveal whether an address has an account."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:reset_password"), {"email": "nobody@example.nhs.uk"})

    assert response["Location"] == reverse("accounts:show_password_reset_sent")
    assert mail.outbox == []


@pytest.mark.django_db
def test_changing_the_capitals_of_the_email_does_not_escape_the_lock(client, clinician):
    """Failures count against the account however its address is typed."""
    for spelling in ("Person", "PERSON", "person", "pErSoN", "PeRsOn"):
        sign_in(client, clinician.email.replace("person", spelling), "wrong-password")

    response = sign_in(client, clinician.email, TEST_PASSWORD)

    assert response.status_code == 429


@pytest.mark.django_db
def test_a_locked_api_client_gets_json(client, clinician):
    """The API's token endpoint shares the lock-out and answers it in JSON."""
    url = reverse("accounts_api:obtain_token")
    for _ in range(5):
        client.post(url, {"email": clinician.email, "password": "wrong"}, content_type="application/json")

    response = client.post(url, {"email": clinician.email, "password": TEST_PASSWORD}, content_type="application/json")

    assert response.status_code == 429
    assert "paused for 15 minutes" in response.json()["detail"]


@pytest.mark.django_db
def test_an_overlong_email_at_sign_in_is_a_field_error(client):
    """A 300-character address is refused politely, on the page and in the API."""
    long_email = "b" * 290 + "@example.nhs.uk"

    page = sign_in(client, long_email, "whatever")
    api = client.post(
        reverse("accounts_api:obtain_token"), {"email": long_email, "password": "x"}, content_type="application/json"
    )

    assert page.status_code == 200 and "254 characters or fewer" in page.content.decode()
    assert api.status_code == 400 and "email" in api.json()


@pytest.mark.django_db
def test_api_tokens_stop_working_after_a_password_change(client, clinician):
    """A new password signs out every API client that used the old one."""
    token = client.post(
        reverse("accounts_api:obtain_token"),
        {"email": clinician.email, "password": TEST_PASSWORD},
        content_type="application/json",
    ).json()["token"]
    client.force_login(clinician)
    client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": "Another-Good-Pass-5", "new_password2": "Another-Good-Pass-5"},
    )
    client.logout()

    response = client.get(reverse("accounts_api:show_my_account"), HTTP_AUTHORIZATION=f"Token {token}")

    assert response.status_code == 401


@pytest.mark.django_db
def test_an_expired_form_shows_the_nhs_page_not_a_technical_error(clinician):
    """Posting a form without its security token explains the page expired."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("accounts:sign_in"), {"username": "x@example.nhs.uk"})

    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


@pytest.mark.django_db
def test_password_problems_are_shown_by_the_new_password_in_plain_words(client, clinician):
    """A weak or mismatched new password gets the service's wording, next to the right box."""
    client.force_login(clinician)
    url = reverse("accounts:change_password")

    weak = client.post(url, {"old_password": TEST_PASSWORD, "new_password1": "short", "new_password2": "short"})
    mismatch = client.post(
        url,
        {"old_password": TEST_PASSWORD, "new_password1": "A-Much-Better-Pass-7", "new_password2": "A-Different-Pass-7"},
    )

    assert "Password must be 12 characters or more" in " ".join(weak.context["form"].errors["new_password1"])
    assert mismatch.context["form"].errors["new_password2"] == [
        "The passwords do not match: enter the same password in both boxes"
    ]
    assert "Current password" in weak.content.decode()


@pytest.mark.django_db
def test_changing_a_password_shows_its_weakness_and_the_mismatch_together(client, clinician):
    """Django checks strength only once the two boxes match; here both problems come back at once."""
    client.force_login(clinician)

    response = client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": "1234567", "new_password2": "12345678"},
    )

    errors = response.context["form"].errors
    assert errors["new_password1"] == [
        "Password must be 12 characters or more",
        "Password is too common: it is one of the passwords most often found in data breaches",
        "Password must include letters or symbols, not only numbers",
    ]
    assert errors["new_password2"] == ["The passwords do not match: enter the same password in both boxes"]
    clinician.refresh_from_db()
    assert clinician.check_password(TEST_PASSWORD)


@pytest.mark.django_db
def test_a_password_reset_shows_every_problem_with_the_new_password_at_once(
    client, clinician, django_capture_on_commit_callbacks
):
    """Choosing a new password from a reset link: the same words, all problems together."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_password"), {"email": clinician.email})
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(path, follow=True)

    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "Tr7#kq", "new_password2": "Tr7#kqz"})

    errors = response.context["form"].errors
    assert errors["new_password1"] == ["Password must be 12 characters or more"]
    assert errors["new_password2"] == ["The passwords do not match: enter the same password in both boxes"]
