"""Writes for accounts: sign-up and its confirmation, staff accounts, training-body admins, the audit trail."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Region, Role, TrainingBody, TrainingBodyMembership, User
from config.errors import DomainError

logger = logging.getLogger(__name__)

SIGN_UP_SALT = "accounts.sign-up-confirmation"


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


def sign_up_token_make(*, user: User) -> str:
    return signing.dumps({"user": str(user.pk), "email": user.email}, salt=SIGN_UP_SALT, compress=True)


@transaction.atomic
def clinician_sign_up(*, email: str, full_name: str, password: str) -> User:
    """Create an inactive clinician account and send the confirmation link once the row is committed."""
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise DomainError(
            "An account with this email address already exists. Sign in or reset your password.", field="email"
        )
    user = User(email=email, full_name=full_name.strip(), role=Role.CLINICIAN, is_active=False)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=user, action="account.signed_up", subject=user)
    _enqueue_sign_up_confirmation(user)
    return user


def _enqueue_sign_up_confirmation(user: User) -> None:
    from accounts.tasks import send_sign_up_confirmation

    user_id = str(user.pk)
    transaction.on_commit(lambda: send_sign_up_confirmation.delay(user_id))


def sign_up_confirmation_send(*, user_id: str) -> bool:
    """Email the confirmation link. Returns False when there is nothing to send (already confirmed or gone)."""
    user = User.objects.filter(pk=user_id, email_confirmed_at__isnull=True).first()
    if user is None:
        return False
    link = settings.SITE_URL + reverse("sign_up_confirm", kwargs={"token": sign_up_token_make(user=user)})
    hours = int(settings.SIGNUP_CONFIRMATION_MAX_AGE.total_seconds() // 3600)
    context = {"user": user, "link": link, "hours": hours, "service_name": settings.SERVICE_NAME}
    message = EmailMultiAlternatives(
        subject=f"Confirm your email address for {settings.SERVICE_NAME}",
        body=render_to_string("emails/sign_up_confirmation.txt", context),
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/sign_up_confirmation.html", context), "text/html")
    message.send()
    return True


@transaction.atomic
def sign_up_resend(*, email: str) -> None:
    """Send a fresh link to an unconfirmed account. Says nothing about whether the address is registered."""
    user = User.objects.filter(email__iexact=email.strip(), email_confirmed_at__isnull=True, is_active=False).first()
    if user is not None:
        _enqueue_sign_up_confirmation(user)


@transaction.atomic
def sign_up_confirm(*, token: str) -> User:
    """Activate the account the link was made for. Expired or altered links are refused and change nothing."""
    max_age = settings.SIGNUP_CONFIRMATION_MAX_AGE
    try:
        payload = signing.loads(token, salt=SIGN_UP_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise DomainError("This link has expired. Ask for a new one below.") from error
    except signing.BadSignature as error:
        raise DomainError("This link is not valid. Check you copied the whole link from the email.") from error
    user = User.objects.select_for_update().filter(pk=payload.get("user"), email__iexact=payload.get("email")).first()
    if user is None:
        raise DomainError("This link is not valid. The account may have been removed; please sign up again.")
    if user.email_confirmed_at is not None:
        return user
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active"])
    audit_record(actor=user, action="account.email_confirmed", subject=user)
    return user


def unconfirmed_sign_ups_purge(*, now: datetime | None = None) -> int:
    """Delete clinician sign-ups never confirmed within the retention period. Returns how many went."""
    cutoff = (now or timezone.now()) - settings.SIGNUP_UNCONFIRMED_RETENTION
    stale = User.objects.filter(
        role=Role.CLINICIAN,
        email_confirmed_at__isnull=True,
        is_active=False,
        last_login__isnull=True,
        date_joined__lt=cutoff,
    )
    deleted, _ = stale.delete()
    if deleted:
        logger.info("Purged %s unconfirmed sign-ups older than %s", deleted, cutoff)
    return deleted


@transaction.atomic
def staff_user_create(
    *, email: str, full_name: str, role: str, password: str | None = None, hee_region: Region | None = None
) -> User:
    """Create a staff account (admins do this; staff roles never come from sign-up)."""
    if role == Role.CLINICIAN:
        raise DomainError("Clinicians sign up themselves.", field="role")
    user = User(
        email=User.objects.normalize_email(email).lower(),
        full_name=full_name,
        role=role,
        hee_region=hee_region,
        email_confirmed_at=timezone.now(),
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as error:
        raise DomainError("; ".join(error.messages)) from error
    user.save()
    user_role_access_sync(user=user)
    return user


CONTENT_EDITORS_GROUP = "Content editors"


def content_editors_group_sync() -> Group:
    """The editors' group may view, add and change the content models named in settings.CONTENT_EDITOR_MODELS."""
    editors, _ = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for label in settings.CONTENT_EDITOR_MODELS:
        app_label, model = label.split(".")
        wanted |= Q(
            content_type__app_label=app_label, content_type__model=model, codename__regex=r"^(view|add|change)_"
        )
    editors.permissions.set(Permission.objects.filter(wanted))
    return editors


def user_role_access_sync(*, user: User) -> None:
    """Content editors edit content in the admin site, so they need staff access and the editors' group."""
    editors, _ = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    if user.role == Role.CONTENT_EDITOR:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.add(editors)
    else:
        user.groups.remove(editors)
        if user.is_staff and not user.is_superuser:
            user.is_staff = False
            user.save(update_fields=["is_staff"])


@transaction.atomic
def training_body_admin_add(*, user: User, training_body: TrainingBody) -> TrainingBodyMembership:
    membership = TrainingBodyMembership(user=user, training_body=training_body)
    try:
        membership.full_clean()
    except ValidationError as error:
        raise DomainError("; ".join(error.messages)) from error
    membership.save()
    return membership


@transaction.atomic
def training_body_set_nudge_frequency(*, training_body: TrainingBody, frequency: str, actor: User) -> TrainingBody:
    training_body.nudge_frequency = frequency
    training_body.full_clean()
    training_body.save(update_fields=["nudge_frequency"])
    audit_record(
        actor=actor, action="training_body.nudge_frequency_set", subject=training_body, detail={"frequency": frequency}
    )
    return training_body
