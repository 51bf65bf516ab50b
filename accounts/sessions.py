"""Idle sessions end: a signed-in page or API call after a long enough pause signs the person out first."""

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from accounts.roles import holds_staff_role

LAST_USED_SESSION_KEY = "last_used_at"
# Kept in the (new, anonymous) session after an idle sign-out, for the signed-out page to say how long the pause was.
IDLE_MINUTES_SESSION_KEY = "signed_out_after_idle_minutes"
# The session is written at most this often just to note it is in use: a write on every request would cost a
# database write per page.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def idle_limit_for(user) -> timedelta:
    minutes = settings.SESSION_IDLE_MINUTES_STAFF if holds_staff_role(user) else settings.SESSION_IDLE_MINUTES_CLINICIAN
    return timedelta(minutes=minutes)


def session_used_now(request: HttpRequest) -> None:
    """Signing in is the session's first use (noted with the sign-in's own session write, not the next page's)."""
    request.session[LAST_USED_SESSION_KEY] = timezone.now().timestamp()


class IdleTimeoutMiddleware:
    """Ends a session unused for longer than the person's idle limit. A page shows the NHS.UK "You've been signed
    out" page with a way back to where they were; an API call goes on as anonymous (so 401/403 in JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = timezone.now().timestamp()
            last_used = request.session.get(LAST_USED_SESSION_KEY)
            limit = idle_limit_for(user)
            if last_used is not None and now - last_used > limit.total_seconds():
                logout(request)
                request.session[IDLE_MINUTES_SESSION_KEY] = int(limit.total_seconds() // 60)
                if not request.path.startswith("/api/"):
                    query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                    return redirect(f"{reverse('accounts:show_signed_out')}{'?' + query if query else ''}")
            elif last_used is None or now - last_used >= LAST_USED_RESOLUTION.total_seconds():
                session_used_now(request)
        return self.get_response(request)
