"""Security events from Django's and django-axes' signals, so every way in (the sign-in page, the admin site's,
the API's token endpoint) is recorded the same way."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from accounts.audit import security_event_record
from accounts.emails import normalise_email


@receiver(user_logged_in, dispatch_uid="accounts.security.signed_in")
def signed_in(sender, request, user, **kwargs) -> None:
    security_event_record(request=request, action="security.sign_in", user=user)


@receiver(user_login_failed, dispatch_uid="accounts.security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # The address tried, never the password (Django has already masked it in `credentials`).
    tried = normalise_email(credentials.get("username", ""))
    security_event_record(request=request, action="security.sign_in_failed", email=tried)


@receiver(user_locked_out, dispatch_uid="accounts.security.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs) -> None:
    security_event_record(request=request, action="security.locked_out", email=normalise_email(username or ""))
