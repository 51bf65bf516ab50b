"""Nobody can find out whether an address has an account from sign-up or password reset, and passwords seen most
often in breaches are refused wherever a password is chosen."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import OutboxMessage, User
from tests.factories import TEST_PASSWORD, ClinicianFactory

SIGN_UP = {"full_name": "Grace Mensah", "password1": "Leadership-Journey-42", "password2": "Leadership-Journey-42"}
WRITES = ("INSERT", "UPDATE", "DELETE")


def page_without(response, client, email: str) -> str:
    """The page a redirect leads to, with the address the person typed taken out (it is shown back to them)."""
    return client.get(response["Location"]).content.decode().replace(email, "ADDRESS")


@pytest.mark.django_db
def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(django_capture_on_commit_callbacks):
    """Both get the same redirect and the same "check your email" page; the owner of the existing account gets an
    email saying they already have one, with links to sign in and to reset their password; no account is added."""
    from django.test import Client

    ClinicianFactory(email="taken@example.nhs.uk", full_name="Taken Person")
    answers = {}
    for email in ("taken@example.nhs.uk", "new.person@example.nhs.uk"):
        client = Client()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:sign_up"), {**SIGN_UP, "email": email})
        answers[email] = (response.status_code, response["Location"], page_without(response, client, email))

    assert answers["taken@example.nhs.uk"] == answers["new.person@example.nhs.uk"]
    assert User.objects.filter(email="taken@example.nhs.uk").count() == 1
    assert User.objects.get(email="taken@example.nhs.uk").full_name == "Taken Person"
    messages = {message.to[0]: message for message in mail.outbox}
    taken, new = messages["taken@example.nhs.uk"], messages["new.person@example.nhs.uk"]
    assert taken.subject == "You already have a Leadership Talent Tracker account"
    assert "http://127.0.0.1:8000/sign-in/" in taken.body and "http://127.0.0.1:8000/password-reset/" in taken.body
    assert "Confirm your email address" in new.subject


@pytest.mark.django_db
def test_password_reset_does_the_same_work_in_the_request_for_any_address(client, django_capture_on_commit_callbacks):
    """Registered or not, the request runs the same database statements (the same writes among them), owes nothing
    yet and hands one job to the queue: the lookup and the email happen after the response. Then only the
    registered address gets an email."""
    ClinicianFactory(email="registered@example.nhs.uk")
    seen = {}
    for email in ("registered@example.nhs.uk", "unknown@example.nhs.uk"):
        owed_before = OutboxMessage.objects.count()
        with django_capture_on_commit_callbacks(execute=False) as callbacks, CaptureQueriesContext(connection) as sql:
            response = client.post(reverse("accounts:reset_password"), {"email": email})
        statements = [query["sql"].split()[0] for query in sql.captured_queries]
        seen[email] = {
            "status": response.status_code,
            "location": response["Location"],
            "statements": statements,
            "writes": [statement for statement in statements if statement in WRITES],
            "queued": len(callbacks),
            "owed": OutboxMessage.objects.count() - owed_before,
        }
        with django_capture_on_commit_callbacks(execute=True):  # the queued job, then the email it owes
            for callback in callbacks:
                callback()

    assert seen["registered@example.nhs.uk"] == seen["unknown@example.nhs.uk"]
    assert seen["unknown@example.nhs.uk"]["owed"] == 0
    assert [message.to for message in mail.outbox] == [["registered@example.nhs.uk"]]


def choose_new_password(client, django_capture_on_commit_callbacks, email: str, password: str):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_password"), {"email": email})
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[-1].body).group(1)
    form_page = client.get(path, follow=True)
    return client.post(form_page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password})


BREACHED = ["Password123!", "warhammer40k", "Welcome2026!!"]


@pytest.mark.django_db
@pytest.mark.parametrize("password", BREACHED)
def test_a_breached_password_is_refused_at_sign_up(client, password):
    """Passwords on the list of those most seen in breaches (or one with symbols or digits tacked on) are refused."""
    response = client.post(
        reverse("accounts:sign_up"),
        {**SIGN_UP, "email": "grace@example.nhs.uk", "password1": password, "password2": password},
    )

    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["password1"])
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("password", BREACHED)
def test_a_breached_password_is_refused_when_resetting(client, django_capture_on_commit_callbacks, password):
    user = ClinicianFactory()

    response = choose_new_password(client, django_capture_on_commit_callbacks, user.email, password)

    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["new_password1"])
    user.refresh_from_db()
    assert user.check_password(TEST_PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("password", BREACHED)
def test_a_breached_password_is_refused_when_changing_it(client, clinician, password):
    client.force_login(clinician)

    response = client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": password, "new_password2": password},
    )

    assert response.status_code == 200
    assert "too common" in " ".join(response.context["form"].errors["new_password1"])
    clinician.refresh_from_db()
    assert clinician.check_password(TEST_PASSWORD)


def test_the_breached_list_holds_the_hundred_thousand_most_common():
    """The list is local (no network call) and holds NCSC's 100,000, less those that differ only in capitals."""
    from accounts.passwords import BreachedPasswordValidator

    passwords = BreachedPasswordValidator().passwords
    assert len(passwords) > 97_000
    assert {"123456", "password123", "iloveyou", "warhammer40k"} <= passwords
