"""Who is asking: the client's address and browser, as the security audit and the throttles record them."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest

USER_AGENT_MAX_LENGTH = 512


def client_address(request: HttpRequest) -> str:
    """The client's IP address. Behind `PROXY_COUNT` proxies each one appends the address it saw to
    X-Forwarded-For, so the client is that many entries from the end; anything before it was written by the
    client and cannot be trusted. The same rule as DRF's throttling (NUM_PROXIES). Empty when what is there is not
    an IP address (a misconfigured proxy, a Unix socket)."""
    proxies = settings.PROXY_COUNT
    address = request.META.get("REMOTE_ADDR", "") or ""
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if forwarded:
            address = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return ""


def client_user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT", ""))[:USER_AGENT_MAX_LENGTH]
