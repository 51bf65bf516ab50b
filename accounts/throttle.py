"""Throttles on the forms that take an email address from anyone (sign-in, sign-up, a new confirmation link,
password reset): a limit per address and a limit per client address, counted in the shared cache by
django-ratelimit. The lock-out (django-axes) pauses one account after a few wrong passwords; the per-client limit
stops one client trying a common password against many accounts (password spraying), and both limit how many
emails one address or client can make the service send.

The per-client limit is deliberately generous: NHS organisations send many staff through a few shared addresses
(docs/adr/0002-sign-in-lockout.md)."""

import logging
import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage
from redis.exceptions import RedisError

from accounts.client import client_address

logger = logging.getLogger(__name__)


def _usage(request: HttpRequest, *, group: str, value: str, rate: str, count: bool) -> dict | None:
    try:
        return get_usage(request, group=group, key=lambda group, request: value, rate=rate, increment=count)
    except RedisError:
        # The cache is down: sign-in must still work; the lock-out, kept in the database, still guards each account.
        logger.warning("Throttle %s not checked: the cache is unreachable", group, exc_info=True)
        return None


def throttle_wait(request: HttpRequest, *, group: str, address: str, count: bool = True) -> int:
    """Seconds to wait before `group` (e.g. "sign_up") may be used again for this email address or from this
    client; 0 when it may be used now. `count` uses up one of the allowance; without it, only checks that some
    allowance is left (sign-in counts only failures, afterwards, with `throttle_count`)."""
    limits = [(f"{group}:client", client_address(request) or "unknown", settings.THROTTLE_PER_CLIENT_RATE)]
    if address:
        limits.append((f"{group}:address", address, settings.THROTTLE_PER_ADDRESS_RATE))
    wait = 0
    for name, value, rate in limits:
        usage = _usage(request, group=name, value=value, rate=rate, count=count)
        if usage is None:
            continue
        exhausted = usage["should_limit"] if count else usage["count"] >= usage["limit"]
        if exhausted:
            wait = max(wait, usage["time_left"], 1)
    return wait


def throttle_count(request: HttpRequest, *, group: str, address: str) -> None:
    """Use up one of the allowance of `group` for this address and this client (a failed sign-in)."""
    throttle_wait(request, group=group, address=address, count=True)


def throttled_response(request: HttpRequest, *, wait_seconds: int) -> HttpResponse:
    minutes = max(1, math.ceil(wait_seconds / 60))
    response = render(request, "accounts/too_many_requests.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(wait_seconds)
    return response
