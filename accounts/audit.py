"""The audit trail: who did what to which record, and the security events (sign-in, lock-out, passwords, second
factor, tokens). Its own module so that every layer (services, the outbox, views, signal receivers, admin actions)
can record an event without importing the accounts services."""

from django.http import HttpRequest

from accounts.client import client_address, client_user_agent
from accounts.models import AuditEvent, SecurityEvent, User


def audit_record(
    *, actor: User | None, action: str, subject: object | None = None, detail: dict | None = None
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        subject_type=subject._meta.label if subject is not None else "",
        subject_id=str(subject.pk) if subject is not None else "",
        detail=detail or {},
    )


def security_event_record(
    *,
    request: HttpRequest | None,
    action: str,
    user: User | None = None,
    email: str = "",
    detail: dict | None = None,
) -> SecurityEvent:
    """Record a security event (`security.<what>`, e.g. `security.sign_in_failed`) with the client's address
    (behind PROXY_COUNT proxies) and browser taken from the request; `request` is None from a task. `user` is the
    account when known; `email` the address that was tried (defaults to the account's)."""
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        action=action,
        user=user,
        email=(email or (user.email if user is not None else ""))[:254],
        client_address=(client_address(request) or None) if request is not None else None,
        user_agent=client_user_agent(request) if request is not None else "",
        detail=detail or {},
    )
