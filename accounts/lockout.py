"""django-axes hooks: which account a sign-in attempt is for, and what a locked-out person or client sees."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from accounts.emails import normalise_email


def username_from_request(request: HttpRequest, credentials: dict | None) -> str:
    """The account an attempt targets, in the form accounts are stored and found (accounts/emails.py), so every
    spelling that reaches an account counts against that account."""
    credentials = credentials or {}
    username = credentials.get("username") or request.POST.get("username", "")
    return normalise_email(str(username))


def locked_out_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    message = (
        f"Too many attempts to sign in to this account. Sign-in is paused for {minutes} minutes; "
        "the account is not locked permanently."
    )
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=429)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes}
    return render(request, "accounts/locked_out.html", context, status=429)
