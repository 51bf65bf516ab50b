"""The audit trail: who did what to which record. Its own module so that every layer (services, the outbox, views,
admin actions) can record an event without importing the accounts services."""

from accounts.models import AuditEvent, User


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
