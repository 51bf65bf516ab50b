"""Clinician self sign-up with email confirmation."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Role, User
from accounts.services import sign_up_token_make
from tests.factories import ClinicianFactory

GOOD = {
    "full_name": "Grace Mensah",
    "email": "Grace.Mensah@Example.NHS.uk",
    "password1": "Leadership-Journey-42",
    "password2": "Leadership-Journey-42",
}


def sign_up(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("accounts:sign_up"), {**GOOD, **overrides})


def confirmation_link(message) -> str:
    return re.search(r"http://\S+/sign-up/confirm/\S+/", message.body).group(0)


@pytest.mark.django_db
def test_sign_up_creates_an_inactive_clinician_and_emails_a_confirmation_link(
    client, django_capture_on_commit_callbacks
):
    """After signing up you are told to check your email, and you get an email with a link in both parts."""
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:show_sign_up_sent")
    user = User.objects.get(email="grace.mensah@example.nhs.uk")
    assert user.role == Role.CLINICIAN
    assert not user.is_active
    assert user.email_confirmed_at is None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["grace.mensah@example.nhs.uk"]
    link = confirmation_link(message)
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert link.replace("http://127.0.0.1:8000", "") in html
    page = client.get(response["Location"])
    assert "grace.mensah@example.nhs.uk" in page.content.decode()


@pytest.mark.django_db
def test_an_unconfirmed_account_cannot_sign_in_and_is_told_why(client, django_capture_on_commit_callbacks):
    """Signing in before following the link explains that the email address needs confirming."""
    sign_up(client, django_capture_on_commit_callbacks)

    response = client.post(reverse("accounts:sign_in"), {"username": GOOD["email"], "password": GOOD["password1"]})

    assert response.status_code == 200
    assert "confirm your email address before you can sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_following_the_link_activates_the_account_and_lets_the_clinician_sign_in(
    client, django_capture_on_commit_callbacks
):
    """The emailed link confirms the account; the clinician can then sign in and reaches their home."""
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")

    page = client.get(link)
    assert page.status_code == 200 and "Confirm my email address" in page.content.decode()
    assert not User.objects.get(email="grace.mensah@example.nhs.uk").is_active  # following the link alone: nothing
    response = client.post(link)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sign_in")
    user = User.objects.get(email="grace.mensah@example.nhs.uk")
    assert user.is_active and user.email_confirmed_at is not None
    assert AuditEvent.objects.filter(action="account.email_confirmed", subject_id=str(user.pk)).exists()
    signed_in = client.post(reverse("accounts:sign_in"), {"username": GOOD["email"], "password": GOOD["password1"]})
    assert signed_in["Location"] == reverse("talent:show_clinician_home")


@pytest.mark.django_db
def test_signing_up_again_with_an_address_in_other_capitals_creates_nothing_and_tells_its_owner(
    client, django_capture_on_commit_callbacks
):
    """Signing up again with the same address (in other capitals) goes to the same "check your email" page as a new
    sign-up; nothing is created, and the address's owner is emailed that they already have an account."""
    ClinicianFactory(email="grace.mensah@example.nhs.uk")

    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("accounts:show_sign_up_sent")
    assert User.objects.filter(email="grace.mensah@example.nhs.uk").count() == 1
    assert [(message.to, message.subject) for message in mail.outbox] == [
        (["grace.mensah@example.nhs.uk"], "You already have a Leadership Talent Tracker account")
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "Something-Else-42"}, "password2", "The passwords do not match"),
        ({"password1": "short", "password2": "short"}, "password1", "Password must be 12 characters or more"),
        ({"password1": "password123456", "password2": "password123456"}, "password1", "too common"),
        ({"password1": "grace.mensah1", "password2": "grace.mensah1"}, "password1", "like your name or email"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
        ({"full_name": ""}, "full_name", "Enter your full name"),
    ],
)
def test_bad_sign_up_details_show_field_errors_and_create_nothing(
    client, django_capture_on_commit_callbacks, overrides, field, message
):
    """Mistakes come back as an error summary and a message by the field; no account, no email."""
    response = sign_up(client, django_capture_on_commit_callbacks, **overrides)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field])
    html = response.content.decode()
    assert "There is a problem" in html
    assert html.count(message.split(".")[0]) >= 2  # in the summary and by the field
    assert User.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_an_expired_link_is_refused_and_the_account_stays_inactive(client, django_capture_on_commit_callbacks):
    """A link older than 48 hours says it has expired and offers a new one; the account is not activated."""
    with time_machine.travel(timezone.now() - timedelta(hours=49), tick=False):
        sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")

    for response in (client.get(link), client.post(link)):
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()
    assert not User.objects.get(email="grace.mensah@example.nhs.uk").is_active


@pytest.mark.django_db
def test_a_tampered_link_is_refused_and_no_account_is_activated(client, django_capture_on_commit_callbacks):
    """Changing any character of the link makes it invalid; nothing is activated."""
    sign_up(client, django_capture_on_commit_callbacks)
    link = confirmation_link(mail.outbox[0]).replace("http://127.0.0.1:8000", "")
    token = link.rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")

    response = client.post(reverse("accounts:confirm_sign_up", kwargs={"token": tampered}))

    assert response.status_code == 400
    assert "This link is not valid" in response.content.decode()
    assert not User.objects.get(email="grace.mensah@example.nhs.uk").is_active


@pytest.mark.django_db
def test_a_link_made_for_another_address_cannot_activate_an_account(client):
    """A validly signed link for an address that no longer matches the account is refused."""
    user = ClinicianFactory(is_active=False, email_confirmed_at=None)
    token = sign_up_token_make(user=user)
    User.objects.filter(pk=user.pk).update(email="changed@example.nhs.uk")

    response = client.post(reverse("accounts:confirm_sign_up", kwargs={"token": token}))

    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.is_active


@pytest.mark.django_db
def test_asking_for_a_new_link_sends_one_only_to_unconfirmed_accounts(client, django_capture_on_commit_callbacks):
    """A new link goes to a waiting account; unknown or confirmed addresses get the same page and no email."""
    ClinicianFactory(email="waiting@example.nhs.uk", is_active=False, email_confirmed_at=None)
    ClinicianFactory(email="confirmed@example.nhs.uk")

    for address in ("waiting@example.nhs.uk", "confirmed@example.nhs.uk", "nobody@example.nhs.uk"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("accounts:resend_confirmation"), {"email": address})
        assert response["Location"] == reverse("accounts:show_sign_up_sent")

    assert [message.to for message in mail.outbox] == [["waiting@example.nhs.uk"]]


@pytest.mark.django_db
def test_staff_roles_cannot_be_chosen_at_sign_up(client, django_capture_on_commit_callbacks):
    """Whatever extra fields are posted, sign-up only ever creates a clinician."""
    sign_up(client, django_capture_on_commit_callbacks, role=Role.HEE_STAFF, is_staff="on", is_superuser="on")

    user = User.objects.get(email="grace.mensah@example.nhs.uk")
    assert (user.role, user.is_staff, user.is_superuser) == (Role.CLINICIAN, False, False)


@pytest.mark.django_db
def test_unconfirmed_sign_ups_are_purged_after_the_retention_period():
    """Accounts never confirmed are deleted after 14 days; confirmed and recent ones stay."""
    from accounts.tasks import purge_unconfirmed_sign_ups_task

    old = ClinicianFactory(is_active=False, email_confirmed_at=None, date_joined=timezone.now() - timedelta(days=15))
    recent = ClinicianFactory(is_active=False, email_confirmed_at=None)
    confirmed = ClinicianFactory(date_joined=timezone.now() - timedelta(days=400))

    assert purge_unconfirmed_sign_ups_task.delay().get() == 1

    assert set(User.objects.values_list("pk", flat=True)) == {recent.pk, confirmed.pk}
    assert not User.objects.filter(pk=old.pk).exists()


@pytest.mark.django_db
def test_many_stale_sign_ups_are_purged_a_batch_at_a_time(monkeypatch):
    """However many there are: a statement may carry at most 65,535 values, so they go a batch at a time."""
    from accounts import services

    monkeypatch.setattr(services, "PURGE_BATCH_SIZE", 2)
    long_ago = timezone.now() - timedelta(days=15)
    ClinicianFactory.create_batch(5, is_active=False, email_confirmed_at=None, date_joined=long_ago)
    recent = ClinicianFactory(is_active=False, email_confirmed_at=None)

    assert services.unconfirmed_sign_ups_purge() == 5

    assert list(User.objects.values_list("pk", flat=True)) == [recent.pk]


@pytest.mark.django_db
def test_an_overlong_email_is_a_field_error_not_a_crash(client, django_capture_on_commit_callbacks):
    """Addresses over 254 characters are refused with a message by the field."""
    long_email = "a" * 250 + "@example.nhs.uk"

    response = sign_up(client, django_capture_on_commit_callbacks, email=long_email)

    assert response.status_code == 200
    assert "254 characters or fewer" in response.content.decode()
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_a_broker_outage_does_not_lose_the_sign_up(client, django_capture_on_commit_callbacks, monkeypatch):
    """If the task queue is down the account is still created, the email waits in the outbox, and the sweep sends
    it once the queue is back."""
    from kombu.exceptions import OperationalError

    from accounts.models import OutboxMessage, OutboxState
    from accounts.outbox import outbox_sweep
    from accounts.tasks import deliver_outbox_message_task

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to broker. Connection refused.")

    monkeypatch.setattr(deliver_outbox_message_task, "apply_async", broker_down)
    response = sign_up(client, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("accounts:show_sign_up_sent")
    assert User.objects.filter(email="grace.mensah@example.nhs.uk", is_active=False).exists()
    assert OutboxMessage.objects.get(kind="sign_up_confirmation").state == OutboxState.PENDING
    assert len(mail.outbox) == 0
    monkeypatch.undo()
    outbox_sweep()
    assert len(mail.outbox) == 1
    assert "Confirm your email address" in mail.outbox[0].subject


@pytest.mark.django_db
def test_the_owner_of_an_address_can_take_back_an_unconfirmed_sign_up_by_resetting_the_password(
    client, django_capture_on_commit_callbacks
):
    """Someone else signed up with your address: resetting the password from your inbox confirms it as yours."""
    squatter = ClinicianFactory(email="owner@example.nhs.uk", is_active=False, email_confirmed_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_password"), {"email": "owner@example.nhs.uk"})
    path = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Mine-All-Mine-2026", "new_password2": "Mine-All-Mine-2026"}
    )

    squatter.refresh_from_db()
    assert squatter.is_active and squatter.email_confirmed_at is not None
    assert squatter.check_password("Mine-All-Mine-2026")


@pytest.mark.django_db
def test_every_problem_with_the_password_is_shown_at_once_in_plain_words(client, django_capture_on_commit_callbacks):
    """A short password that looks like the email and a confirmation that does not match: all three problems are
    named together (summary and fields), so nobody fixes one only to be told of the next; none in Django's words."""
    response = sign_up(client, django_capture_on_commit_callbacks, password1="grace.mensa", password2="grace.mensa!")

    form = response.context["form"]
    assert form.errors["password1"] == [
        "Password must be 12 characters or more",
        "Password must not be like your name or email address",
    ]
    assert form.errors["password2"] == ["The passwords do not match: enter the same password in both boxes"]
    html = response.content.decode()
    for message in (*form.errors["password1"], *form.errors["password2"]):
        assert html.count(message) == 2  # in the error summary and by its box
    assert "This password" not in html  # Django's own wording
    assert User.objects.count() == 0
