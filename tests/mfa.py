"""The one way tests get a signed-in staff member: as they are after their second factor.

Staff roles and superusers reach nothing until a second factor verifies their session (accounts/mfa.py). The suite's
`client.force_login(user)` therefore signs them in *and* verifies the session with their authenticator app, through
django-otp's own `login`, as the security-code page does (installed for every test by tests/conftest.py). A test of
the second factor itself signs in with the password alone: `password_only_login(client, user)`, or the sign-in form.
Enforcement is never switched off.
"""

import time

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from django_otp import login as otp_login
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.mfa import authenticator_for, second_factor_required_by_role, session_verify

_password_only_force_login = Client.force_login


def authenticator_confirmed(user) -> TOTPDevice:
    """The person's authenticator app, set up (as the staff factories give one)."""
    return authenticator_for(user) or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)


def password_only_login(client: Client, user, backend=None) -> None:
    """Signed in with the password alone: what an attacker who learnt a staff password gets."""
    _password_only_force_login(client, user, backend)


def second_factor_verified_login(client: Client, user, backend=None) -> None:
    """Sign in, then verify the session with the person's authenticator (set up for staff who have none yet)."""
    _password_only_force_login(client, user, backend)
    user = get_user_model().objects.get(pk=user.pk)
    device = authenticator_confirmed(user) if second_factor_required_by_role(user) else authenticator_for(user)
    if device is None:
        return
    request = HttpRequest()
    request.session = client.session
    request.user = user
    otp_login(request, device)
    session_verify(request, device)
    request.session.save()


def code_now(device: TOTPDevice) -> str:
    """A code the device accepts now and for the rest of this step at least: the current step's, as the person's app
    shows it (the previous step's, also accepted, would stop working at the step's end, which a slow browser can
    reach before the code is checked). django-otp refuses a time step already used, so after one it takes the next
    step's code (within the one step of tolerance), waiting only if that is used too."""
    device.refresh_from_db()
    while True:
        now_t = int((time.time() - device.t0) // device.step)
        step = max(now_t + device.drift, device.last_t + 1)
        if step <= now_t + device.drift + device.tolerance:
            return f"{totp(device.bin_key, device.step, device.t0, device.digits, step - now_t):0{device.digits}d}"
        time.sleep(1)


def security_code_entered(client: Client, user) -> None:
    """After the password on the sign-in page, the security code from the person's app, as they would type it
    (staff, and clinicians who turned it on; nothing to do for others)."""
    user = get_user_model().objects.get(pk=user.pk)
    device = authenticator_confirmed(user) if second_factor_required_by_role(user) else authenticator_for(user)
    if device is not None:
        response = client.post(reverse("accounts:verify_second_factor"), {"code": code_now(device)})
        assert response.status_code == 302, response.content
