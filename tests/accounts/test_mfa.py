"""Two-step sign-in: staff need a code from an authenticator app (or a recovery code) after their password; clinicians
may turn it on. A password alone opens no staff page, no API and not the admin site."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts import mfa
from accounts.models import RecoveryCode, SecurityEvent, User
from tests.factories import TEST_PASSWORD, ClinicianFactory, HEEStaffFactory, TrainingBodyAdminFactory
from tests.mfa import authenticator_confirmed, code_now, password_only_login

SIGN_IN = reverse("accounts:sign_in")
VERIFY = reverse("accounts:verify_second_factor")
SET_UP = reverse("accounts:set_up_authenticator")
CODES = reverse("accounts:show_new_recovery_codes")
TOKEN = reverse("accounts_api:obtain_token")


def sign_in(client: Client, user: User, password: str = TEST_PASSWORD):
    return client.post(SIGN_IN, {"username": user.email, "password": password})


def enter_code(client: Client, code: str, *, remember: bool = False, next_url: str = ""):
    data = {"code": code, "next": next_url}
    if remember:
        data["remember"] = "on"
    return client.post(VERIFY, data)


def secret_from(page) -> str:
    return re.search(r'id="authenticator-secret"[^>]*>([A-Z2-7 ]+)<', page.content.decode()).group(1)


@pytest.fixture
def superuser(db):
    user = User.objects.create_superuser(email="admin@example.nhs.uk", full_name="Admin", password=TEST_PASSWORD)
    authenticator_confirmed(user)
    return user


@pytest.fixture
def staff(request):
    """Each person who must use a second factor, by fixture name."""
    return request.getfixturevalue(request.param)


STAFF = ["tb_admin", "hee_staff", "regional_hee_staff", "editor", "superuser"]
STAFF_PAGES = {
    "tb_admin": "accounts:list_training_bodies",
    "hee_staff": "pipeline:show_dashboard",
    "regional_hee_staff": "talent:list_clinicians",
    "editor": "accounts:show_editor_home",
    "superuser": "admin:index",
}


# --- A password alone opens nothing -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("staff", STAFF, indirect=True)
def test_a_staff_password_alone_opens_no_staff_page_only_the_security_code_page(client, staff, request):
    """After the right password, staff are asked for a code, and every other page sends them back to it."""
    home = sign_in(client, staff)
    assert home.status_code == 302

    page = client.get(reverse(STAFF_PAGES[request.node.callspec.params["staff"]]))

    assert page.status_code == 302 and page["Location"].startswith(VERIFY)
    assert client.get(page["Location"]).status_code == 200
    assert client.get(reverse("accounts:change_password"))["Location"].startswith(VERIFY)
    assert client.post(reverse("accounts:sign_out")).status_code == 302


@pytest.mark.django_db
def test_a_staff_member_with_no_authenticator_is_taken_to_set_one_up(client, training_body):
    admin = TrainingBodyAdminFactory(training_body=training_body, authenticator=False)
    sign_in(client, admin)

    page = client.get(reverse("accounts:list_training_bodies"))

    assert page["Location"].startswith(SET_UP)
    assert client.get(VERIFY)["Location"].startswith(SET_UP)


@pytest.mark.django_db
def test_a_staff_password_alone_does_not_open_the_api_by_session(client, hee_staff):
    sign_in(client, hee_staff)

    response = client.get(reverse("talent_api:list_clinicians"))

    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


@pytest.mark.django_db
def test_the_admin_site_needs_a_verified_second_factor_even_for_a_superuser(client, superuser, rf):
    password_only_login(client, superuser)
    assert client.get(reverse("admin:index"))["Location"].startswith(VERIFY)
    # And the admin site itself asks for it, whatever sits in front of it.
    from django.contrib import admin

    request = rf.get("/admin/")
    request.user = superuser
    superuser.is_verified = lambda: False
    assert not admin.site.has_permission(request)
    superuser.is_verified = lambda: True
    assert admin.site.has_permission(request)


@pytest.mark.django_db
def test_with_a_code_staff_reach_the_page_they_asked_for(client, hee_staff):
    sign_in(client, hee_staff)
    asked = client.get(reverse("talent:list_clinicians"))["Location"]
    form = client.get(asked)
    next_url = form.context["next"]

    response = enter_code(client, code_now(authenticator_confirmed(hee_staff)), next_url=next_url)

    assert response["Location"] == reverse("talent:list_clinicians")
    assert client.get(reverse("talent:list_clinicians")).status_code == 200
    assert client.get(reverse("talent_api:list_clinicians")).status_code == 200


@pytest.mark.django_db
def test_the_code_page_does_not_send_anyone_to_another_site(client, hee_staff):
    sign_in(client, hee_staff)

    response = enter_code(client, code_now(authenticator_confirmed(hee_staff)), next_url="https://evil.example/")

    assert response["Location"] == reverse("pipeline:show_dashboard")


@pytest.mark.django_db
def test_a_wrong_code_is_a_field_error_and_is_audited(client, hee_staff):
    sign_in(client, hee_staff)

    response = enter_code(client, "000000" if code_now(authenticator_confirmed(hee_staff)) != "000000" else "111111")

    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    assert "nhsuk-error-summary" in response.content.decode()
    assert client.get(reverse("pipeline:show_dashboard"))["Location"].startswith(VERIFY)
    assert SecurityEvent.objects.filter(action="security.mfa.verification_failed", user=hee_staff).exists()


@pytest.mark.django_db
def test_repeated_wrong_codes_are_slowed_down(client, hee_staff):
    """django-otp's throttle: after a wrong code, even the right one waits a moment."""
    device = authenticator_confirmed(hee_staff)
    sign_in(client, hee_staff)
    enter_code(client, "not-a-code")
    enter_code(client, "000000" if code_now(device) != "000000" else "111111")

    response = enter_code(client, code_now(device))

    assert "Too many wrong codes" in response.content.decode()


@pytest.mark.django_db
def test_an_unverified_staff_member_cannot_swap_in_their_own_authenticator(client, hee_staff):
    """Someone holding only the password must not be able to set up a new app on the account."""
    sign_in(client, hee_staff)

    assert client.get(SET_UP)["Location"].startswith(VERIFY)
    assert client.post(SET_UP, {"code": "123456"})["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.filter(user=hee_staff).count() == 1


# --- Setting it up, and recovery codes ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_setting_up_shows_a_qr_code_and_the_secret_then_ten_recovery_codes_once(client, training_body):
    admin = TrainingBodyAdminFactory(training_body=training_body, authenticator=False)
    sign_in(client, admin)
    page = client.get(SET_UP)
    html = page.content.decode()
    assert "<svg" in html and 'role="img"' in html
    secret = secret_from(page)
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert secret.replace(" ", "") == mfa.authenticator_secret(device).replace(" ", "")

    response = client.post(SET_UP, {"code": code_now(device)})

    assert response["Location"].startswith(CODES)
    codes_page = client.get(response["Location"]).content.decode()
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", codes_page)
    assert len(set(codes)) == 10
    assert client.get(CODES)["Location"] == reverse("accounts:show_sign_in_security")  # shown once
    assert client.get(reverse("accounts:list_training_bodies")).status_code == 200
    stored = list(RecoveryCode.objects.filter(user=admin).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert all(value.startswith(f"pbkdf2_sha256${mfa.RECOVERY_CODE_ITERATIONS}$") for value in stored)
    assert not any(code.replace("-", "") in value for code in codes for value in stored)
    assert SecurityEvent.objects.filter(action="security.mfa.enrolled", user=admin).count() == 1


@pytest.mark.django_db
def test_a_recovery_code_works_instead_of_a_code_once(client, hee_staff):
    authenticator_confirmed(hee_staff)
    codes = mfa.recovery_codes_renew(user=hee_staff)
    sign_in(client, hee_staff)

    response = enter_code(client, codes[3].upper().replace("-", " "))

    assert response["Location"] == reverse("pipeline:show_dashboard")
    assert SecurityEvent.objects.filter(action="security.mfa.recovery_code_used", user=hee_staff).exists()
    client.post(reverse("accounts:sign_out"))
    sign_in(client, hee_staff)
    again = enter_code(client, codes[3])
    assert again.status_code == 200 and "The code is not right" in again.content.decode()
    assert mfa.recovery_codes_left(user=hee_staff) == 9


@pytest.mark.django_db
def test_renewing_recovery_codes_shows_new_ones_and_the_old_ones_stop_working(client, hee_staff):
    authenticator_confirmed(hee_staff)
    old = mfa.recovery_codes_renew(user=hee_staff)
    client.force_login(hee_staff)

    response = client.post(reverse("accounts:renew_recovery_codes"))

    new = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", client.get(response["Location"]).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    with pytest.raises(mfa.DomainError):
        mfa.second_factor_verify(user=hee_staff, code=old[0])
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # after the wrong code's pause
        assert mfa.second_factor_verify(user=hee_staff, code=new[0]) is not None


# --- Remembering a device -----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_remembered_device_skips_the_code_for_30_days_and_no_longer(client, hee_staff, settings):
    settings.SESSION_COOKIE_SECURE = True
    device = authenticator_confirmed(hee_staff)
    sign_in(client, hee_staff)
    response = enter_code(client, code_now(device), remember=True)
    cookie = response.cookies[mfa.REMEMBER_COOKIE]
    assert cookie["httponly"] and cookie["secure"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 30 * 24 * 3600
    client.post(reverse("accounts:sign_out"))

    sign_in(client, hee_staff)
    assert client.get(reverse("pipeline:show_dashboard")).status_code == 200

    client.post(reverse("accounts:sign_out"))
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        sign_in(client, hee_staff)
        assert client.get(reverse("pipeline:show_dashboard"))["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_password_change_forgets_remembered_devices(client, hee_staff):
    device = authenticator_confirmed(hee_staff)
    sign_in(client, hee_staff)
    enter_code(client, code_now(device), remember=True)
    client.post(
        reverse("accounts:change_password"),
        {"old_password": TEST_PASSWORD, "new_password1": "A-new-Passphrase-42", "new_password2": "A-new-Passphrase-42"},
    )
    client.post(reverse("accounts:sign_out"))

    sign_in(client, hee_staff, "A-new-Passphrase-42")

    assert client.get(reverse("pipeline:show_dashboard"))["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_remembered_device_is_only_for_the_person_it_was_remembered_for(client, hee_staff):
    other = HEEStaffFactory()
    sign_in(client, hee_staff)
    enter_code(client, code_now(authenticator_confirmed(hee_staff)), remember=True)
    client.post(reverse("accounts:sign_out"))

    sign_in(client, other)

    assert client.get(reverse("pipeline:show_dashboard"))["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_the_remembered_device_setting_allows_at_most_30_days(monkeypatch):
    import importlib

    from django.core.exceptions import ImproperlyConfigured

    import config.settings

    monkeypatch.setenv("MFA_REMEMBER_DEVICE_DAYS", "31")
    with pytest.raises(ImproperlyConfigured):
        importlib.reload(config.settings)
    monkeypatch.delenv("MFA_REMEMBER_DEVICE_DAYS")
    importlib.reload(config.settings)


# --- A reset by a superuser ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_superuser_resets_someones_second_factor_in_the_admin_and_they_set_up_again(client, superuser, hee_staff):
    device = authenticator_confirmed(hee_staff)
    person = Client()
    sign_in(person, hee_staff)
    remembered = enter_code(person, code_now(device), remember=True)
    assert remembered.status_code == 302
    client.force_login(superuser)

    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [str(hee_staff.pk)]},
    )

    assert not TOTPDevice.objects.filter(user=hee_staff).exists()
    event = SecurityEvent.objects.get(action="security.mfa.reset")
    assert event.user == hee_staff and event.detail["by"] == superuser.email
    assert event.client_address == "127.0.0.1"
    # The verified session and the remembered device no longer count: they set up an app again.
    assert person.get(reverse("pipeline:show_dashboard"))["Location"].startswith(SET_UP)
    person.post(reverse("accounts:sign_out"))
    sign_in(person, hee_staff)
    assert person.get(reverse("pipeline:show_dashboard"))["Location"].startswith(SET_UP)


@pytest.mark.django_db
def test_only_a_superuser_may_reset_a_second_factor(hee_staff, tb_admin):
    with pytest.raises(mfa.DomainError):
        mfa.second_factor_reset(user=hee_staff, actor=tb_admin)
    assert TOTPDevice.objects.filter(user=hee_staff).exists()


# --- API tokens ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("otp", [None, "", "000000", "not-a-code"])
def test_staff_get_no_api_token_without_a_right_code(client, hee_staff, otp):
    device = authenticator_confirmed(hee_staff)
    if otp == "000000" and code_now(device) == "000000":
        otp = "111111"
    body = {"email": hee_staff.email, "password": TEST_PASSWORD}
    if otp is not None:
        body["otp"] = otp

    response = client.post(TOKEN, body, content_type="application/json")

    assert response.status_code == 400
    assert "otp" in response.json()
    assert not AuthToken.objects.filter(user=hee_staff).exists()


@pytest.mark.django_db
def test_staff_get_an_api_token_with_their_code(client, hee_staff):
    body = {"email": hee_staff.email, "password": TEST_PASSWORD, "otp": code_now(authenticator_confirmed(hee_staff))}

    response = client.post(TOKEN, body, content_type="application/json")

    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.django_db
def test_a_staff_member_with_no_authenticator_gets_no_api_token(client, training_body):
    admin = TrainingBodyAdminFactory(training_body=training_body, authenticator=False)

    response = client.post(
        TOKEN, {"email": admin.email, "password": TEST_PASSWORD, "otp": "123456"}, content_type="application/json"
    )

    assert response.status_code == 400 and "otp" in response.json()


@pytest.mark.django_db
def test_clinicians_need_a_code_for_a_token_only_once_they_turned_it_on(client, clinician):
    body = {"email": clinician.email, "password": TEST_PASSWORD}
    assert client.post(TOKEN, body, content_type="application/json").status_code == 200
    device = authenticator_confirmed(clinician)

    refused = client.post(TOKEN, body, content_type="application/json")
    allowed = client.post(TOKEN, {**body, "otp": code_now(device)}, content_type="application/json")

    assert refused.status_code == 400 and "otp" in refused.json()
    assert allowed.status_code == 200


# --- Clinicians choose ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_clinician_turns_two_step_sign_in_on_and_is_then_asked_for_a_code(client):
    clinician = ClinicianFactory()
    client.force_login(clinician)
    assert "Turn on two-step sign-in" in client.get(reverse("accounts:show_sign_in_security")).content.decode()
    client.get(SET_UP)
    client.post(SET_UP, {"code": code_now(TOTPDevice.objects.get(user=clinician))})
    client.post(reverse("accounts:sign_out"))

    sign_in(client, clinician)

    assert client.get(reverse("accounts:show_sign_in_security"))["Location"].startswith(VERIFY)


@pytest.mark.django_db
def test_a_clinician_turns_it_off_with_a_code_and_signs_in_with_a_password_again(client):
    clinician = ClinicianFactory()
    device = authenticator_confirmed(clinician)
    sign_in(client, clinician)
    enter_code(client, code_now(device))

    wrong = client.post(reverse("accounts:turn_off_second_factor"), {"code": "not-a-code"})
    assert wrong.status_code == 200 and TOTPDevice.objects.filter(user=clinician).exists()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # after the wrong code's pause
        client.post(reverse("accounts:turn_off_second_factor"), {"code": code_now(device)})

    assert not TOTPDevice.objects.filter(user=clinician).exists()
    assert SecurityEvent.objects.filter(action="security.mfa.turned_off", user=clinician).exists()
    client.post(reverse("accounts:sign_out"))
    sign_in(client, clinician)
    assert client.get(reverse("accounts:show_sign_in_security")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["tb_admin", "hee_staff", "editor"])
def test_staff_cannot_turn_their_second_factor_off(client, request, role):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(reverse("accounts:turn_off_second_factor")).status_code == 403
    assert (
        client.post(
            reverse("accounts:turn_off_second_factor"), {"code": code_now(authenticator_confirmed(user))}
        ).status_code
        == 403
    )
    with pytest.raises(mfa.DomainError):
        mfa.second_factor_turn_off(user=user, code=code_now(authenticator_confirmed(user)))
    assert TOTPDevice.objects.filter(user=user).exists()
