"""The security audit: sign-ins, failures, lock-outs and password changes and resets, each with when, which account
(or the address tried), the client's address and browser; read-only for superusers; kept SECURITY_AUDIT_DAYS."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from accounts.audit import security_event_record
from accounts.models import SecurityEvent, User
from tests.clock import runs_at
from tests.factories import TEST_PASSWORD, ClinicianFactory

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
_at_now = runs_at(NOW)

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/131.0"


def sign_in(client, email, password, **headers):
    return client.post(
        reverse("accounts:sign_in"), {"username": email, "password": password}, HTTP_USER_AGENT=BROWSER, **headers
    )


def events(action: str) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(action=action).order_by("created_at"))


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@example.nhs.uk", full_name="Admin", password="x-Admin-Pass-1")


@pytest.mark.django_db
def test_a_sign_in_is_recorded_with_the_account_the_time_the_client_and_the_browser(client, clinician, settings):
    """Behind one proxy the recorded address is the one the proxy saw, not what the client wrote before it."""
    settings.PROXY_COUNT = 1

    sign_in(client, clinician.email.upper(), TEST_PASSWORD, HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5")

    (event,) = events("security.sign_in")
    assert (event.user, event.email, event.client_address, event.user_agent) == (
        clinician,
        clinician.email,
        "203.0.113.5",
        BROWSER,
    )
    assert abs(event.created_at - NOW) < timedelta(minutes=1)


@pytest.mark.django_db
def test_a_failed_sign_in_records_the_address_tried_and_never_the_password(client, clinician):
    sign_in(client, "Nobody@Example.NHS.uk", "My-Secret-Guess-1")
    sign_in(client, clinician.email, "Another-Guess-2")

    failures = events("security.sign_in_failed")
    assert [(event.email, event.user) for event in failures] == [
        ("nobody@example.nhs.uk", None),
        (clinician.email, None),
    ]
    assert all(event.client_address == "127.0.0.1" and event.user_agent == BROWSER for event in failures)
    assert "Guess" not in str(list(SecurityEvent.objects.values()))


@pytest.mark.django_db
def test_a_lock_out_is_recorded(client, clinician):
    for _ in range(5):
        sign_in(client, clinician.email, "wrong-password")

    (event,) = events("security.locked_out")
    assert event.email == clinician.email and event.client_address == "127.0.0.1"


@pytest.mark.django_db
def test_a_password_change_is_recorded(client, clinician):
    client.force_login(clinician)

    client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": "Much-Better-Pass-7", "new_password2": "Much-Better-Pass-7"},
        HTTP_USER_AGENT=BROWSER,
    )

    (event,) = events("security.password_changed")
    assert (event.user, event.user_agent) == (clinician, BROWSER)


@pytest.mark.django_db
def test_a_password_reset_is_recorded_when_asked_for_and_when_done(client, django_capture_on_commit_callbacks):
    user = ClinicianFactory(email="reset.me@example.nhs.uk")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:reset_password"), {"email": "Reset.Me@example.nhs.uk"}, HTTP_USER_AGENT=BROWSER)
    path = re.search(r"http://127.0.0.1:8000(/password-reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Fresh-Start-Pass-88", "new_password2": "Fresh-Start-Pass-88"},
        HTTP_USER_AGENT=BROWSER,
    )

    (asked,) = events("security.password_reset_requested")
    (done,) = events("security.password_reset")
    assert (asked.email, asked.user, asked.user_agent) == ("reset.me@example.nhs.uk", None, BROWSER)
    assert (done.user, done.user_agent) == (user, BROWSER)


@pytest.mark.django_db
def test_other_code_records_an_event_with_one_call(rf, clinician, settings):
    """What MFA and token code call: the client's address and browser come from the request."""
    settings.PROXY_COUNT = 2
    request = rf.post("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.4, 10.0.0.2", HTTP_USER_AGENT=BROWSER)

    event = security_event_record(request=request, action="security.mfa_enrolled", user=clinician, detail={"n": 1})

    assert (event.action, event.user, event.email, event.client_address, event.user_agent, event.detail) == (
        "security.mfa_enrolled",
        clinician,
        clinician.email,
        "198.51.100.4",
        BROWSER,
        {"n": 1},
    )


@pytest.mark.django_db
def test_security_events_are_purged_after_the_retention_period(clinician, settings):
    """The daily job deletes events older than SECURITY_AUDIT_DAYS (400 by default) and keeps the rest."""
    from accounts.tasks import purge_security_events_task

    for days_ago in (401, 399, 1):
        with time_machine.travel(NOW - timedelta(days=days_ago), tick=False):
            security_event_record(request=None, action="security.sign_in", user=clinician, detail={"age": days_ago})

    assert purge_security_events_task.delay().get() == 1
    assert sorted(event.detail["age"] for event in SecurityEvent.objects.all()) == [1, 399]

    settings.SECURITY_AUDIT_DAYS = 30
    assert purge_security_events_task.delay().get() == 1
    assert [event.detail["age"] for event in SecurityEvent.objects.all()] == [1]


def test_the_purge_runs_daily_on_the_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-security-events"]
    assert schedule == {"task": "accounts.tasks.purge_security_events", "schedule": 60 * 60 * 24}


@pytest.mark.django_db
def test_superusers_read_security_events_in_the_admin_site_and_cannot_change_them(client, superuser, clinician):
    event = security_event_record(request=None, action="security.sign_in_failed", email="tried@example.nhs.uk")
    client.force_login(superuser)

    listing = client.get(reverse("admin:accounts_securityevent_changelist"))
    detail = client.get(reverse("admin:accounts_securityevent_change", args=[event.pk]))

    assert listing.status_code == 200 and "tried@example.nhs.uk" in listing.content.decode()
    assert detail.status_code == 200 and "Save" not in detail.content.decode().replace("Save as", "")
    assert client.get(reverse("admin:accounts_securityevent_add")).status_code == 403
    assert client.post(reverse("admin:accounts_securityevent_delete", args=[event.pk])).status_code == 403
    assert SecurityEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "clinician", "tb_admin", "hee_staff", "editor"])
def test_nobody_but_superusers_sees_security_events(client, user_for_role, role):
    """Editors use the admin site for content but never see who signed in from where; everyone else is kept out."""
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)

    response = client.get(reverse("admin:accounts_securityevent_changelist"))

    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response["Location"]
