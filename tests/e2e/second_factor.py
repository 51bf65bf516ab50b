"""Staff pass the second factor in the browser as people do: the code their authenticator app shows now."""

import re

from playwright.sync_api import expect

from accounts.mfa import authenticator_for
from accounts.models import User
from tests.mfa import code_now


def enter_security_code(page, email: str, *, remember: bool = False) -> None:
    """After the password: if this person is asked for a code, enter their app's current one."""
    user = User.objects.get(email__iexact=email)
    device = authenticator_for(user)
    if device is None:  # nothing to ask: a clinician who has not turned it on
        return
    expect(page).to_have_url(re.compile(r"/sign-in/security-code/"))
    page.get_by_label("Security code").fill(code_now(device))
    if remember:
        page.get_by_label(re.compile("Remember this device")).check()
    page.get_by_role("button", name="Continue").click()
