"""Writes for accounts: sign-up and its confirmation, staff accounts, training-body admins."""

import logging
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from knox.models import AuthToken

from accounts import selectors
from accounts.audit import audit_record, security_event_record
from accounts.emails import normalise_email
from accounts.models import ApiTokenSession, Region, Role, SecurityEvent, TrainingBody, TrainingBodyMembership, User
from accounts.outbox import outbox_add, outbox_context_builder
from accounts.permissions import role_edits_content
from accounts.roles import holds_staff_role
from accounts.tasks import request_password_reset_task
from config.celery import enqueue_on_commit
from config.errors import DomainError
from talent.models import ClinicianProfile

logger = logging.getLogger(__name__)

SIGN_UP_SALT = "accounts.sign-up-confirmation"


def sign_up_token_make(*, user: User) -> str:
    return signing.dumps({"user": str(user.pk), "email": user.email}, salt=SIGN_UP_SALT, compress=True)


@transaction.atomic
def clinician_sign_up(*, email: str, full_name: str, password: str) -> None:
    """Create an inactive clinician account and send the confirmation link once the row is committed.

    The person signing up is told the same whether or not the address already has an account, so the form cannot
    be used to find out who is registered; the address's owner gets an email saying what happened instead. Both
    paths hash the password, the slow part, so they take about as long."""
    email = normalise_email(email)
    user = User(email=email, full_name=full_name.strip(), role=Role.CLINICIAN, is_active=False)
    user.set_password(password)
    if User.objects.filter(email=email).exists():
        _enqueue_account_exists(email)
        return
    try:
        user.full_clean(exclude=["password"])
        with transaction.atomic():
            user.save()
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=field) from error
    except IntegrityError:  # a simultaneous sign-up with the same address won the race
        _enqueue_account_exists(email)
        return
    audit_record(actor=user, action="account.signed_up", subject=user)
    _enqueue_sign_up_confirmation(user)


def _enqueue_account_exists(email: str) -> None:
    """Tell the owner of an address that someone tried to sign up with it, and how to get in."""
    outbox_add(key=f"account_exists:{uuid.uuid4().hex}", kind="account_exists", to=email, context={"email": email})


@outbox_context_builder("account_exists")
def account_exists_context(context: dict) -> dict | None:
    """At send time: nothing to send if the account has gone since (the person can sign up now)."""
    user = User.objects.filter(email=context.get("email", "")).first()
    if user is None:
        return None
    return {
        "user": user,
        "sign_in_link": settings.SITE_URL + reverse("accounts:sign_in"),
        "reset_link": settings.SITE_URL + reverse("accounts:reset_password"),
    }


def _enqueue_sign_up_confirmation(user: User) -> None:
    """Owe the confirmation email through the outbox; the signed link is made when it is sent (none is stored).
    Each request for a link is its own message."""
    outbox_add(
        key=f"sign_up_confirmation:{user.pk}:{uuid.uuid4().hex}",
        kind="sign_up_confirmation",
        to=user.email,
        context={"user_id": str(user.pk)},
    )


@outbox_context_builder("sign_up_confirmation")
def sign_up_confirmation_context(context: dict) -> dict | None:
    """At send time: nothing to send once the account is confirmed or gone."""
    user = User.objects.filter(pk=context.get("user_id"), email_confirmed_at__isnull=True).first()
    if user is None:
        return None
    return {
        "user": user,
        "link": settings.SITE_URL
        + reverse("accounts:confirm_sign_up", kwargs={"token": sign_up_token_make(user=user)}),
        "hours": sign_up_confirmation_hours(),
    }


def password_reset_request(*, email: str) -> int:
    """Owe a reset email to each account with this address that can reset its password. Runs in a task, after the
    response, so the page answers alike, in the same time, for registered and unknown addresses. Returns how many
    emails are owed."""
    users = list(selectors.accounts_for_password_reset(email))
    for user in users:
        password_reset_owe(user=user)
    return len(users)


def password_reset_request_later(*, request: HttpRequest, email: str) -> None:
    """The request's part of a password reset: the same work whatever the address, the lookup left to a task."""
    email = normalise_email(email)
    security_event_record(request=request, action="security.password_reset_requested", email=email)
    enqueue_on_commit(request_password_reset_task, email)


def password_reset_owe(*, user: User) -> None:
    """Owe a password-reset email through the outbox; the one-time link is made when it is sent (no token stored)."""
    with transaction.atomic():
        outbox_add(
            key=f"password_reset:{user.pk}:{uuid.uuid4().hex}",
            kind="password_reset",
            to=user.email,
            context={"user_id": str(user.pk)},
        )


@outbox_context_builder("password_reset")
def password_reset_context(context: dict) -> dict | None:
    """The outbox's context for a password-reset email at send time, as Django's reset view expects it."""
    user = User.objects.filter(pk=context.get("user_id")).first()
    if user is None:
        return None
    scheme, _, domain = settings.SITE_URL.partition("://")
    return {
        "full_name": user.full_name,
        "protocol": scheme,
        "domain": domain,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


def sign_up_confirmation_hours() -> int:
    return int(settings.SIGNUP_CONFIRMATION_MAX_AGE.total_seconds() // 3600)


@transaction.atomic
def sign_up_resend(*, email: str) -> None:
    """Send a fresh link to an unconfirmed account. Says nothing about whether the address is registered."""
    user = selectors.unconfirmed_account_for(email)
    if user is not None:
        _enqueue_sign_up_confirmation(user)


def sign_up_token_check(*, token: str, for_update: bool = False) -> User:
    """The account a confirmation link was made for; DomainError if the link is expired, altered or orphaned."""
    try:
        payload = signing.loads(token, salt=SIGN_UP_SALT, max_age=settings.SIGNUP_CONFIRMATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise DomainError("This link has expired. Ask for a new one below.") from error
    except signing.BadSignature as error:
        raise DomainError("This link is not valid. Check you copied the whole link from the email.") from error
    users = User.objects.select_for_update() if for_update else User.objects
    user = users.filter(pk=payload.get("user"), email=normalise_email(payload.get("email", ""))).first()
    if user is None:
        raise DomainError("This link is not valid. The account may have been removed; please sign up again.")
    return user


@transaction.atomic
def sign_up_confirm(*, token: str) -> User:
    """Activate the account the link was made for. Expired or altered links are refused and change nothing."""
    user = sign_up_token_check(token=token, for_update=True)
    if user.email_confirmed_at is None:
        _email_confirmed(user)
    return user


def _email_confirmed(user: User) -> None:
    user.email_confirmed_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_confirmed_at", "is_active"])
    account_copy_to_profile(user=user)
    audit_record(actor=user, action="account.email_confirmed", subject=user)


@transaction.atomic
def password_changed(*, user: User, request: HttpRequest | None = None, reset: bool = False) -> None:
    """After a password change or reset: API tokens made with the old password stop working, and a reset link
    followed from the inbox confirms an account that was still waiting for confirmation."""
    api_tokens_revoke(
        tokens=AuthToken.objects.filter(user=user).select_related("user"),
        actor=user,
        reason="password_changed",
        request=request,
    )
    if user.email_confirmed_at is None and user.role == Role.CLINICIAN:
        _email_confirmed(user)
    audit_record(actor=user, action="account.password_changed", subject=user)
    action = "security.password_reset" if reset else "security.password_changed"
    security_event_record(request=request, action=action, user=user)


def security_events_purge(*, now: datetime | None = None) -> int:
    """Delete security events older than SECURITY_AUDIT_DAYS. Returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SECURITY_AUDIT_DAYS)
    deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
    if deleted:
        logger.info("Purged %s security events older than %s", deleted, cutoff)
    return deleted


def api_token_lifetime(*, user: User) -> timedelta:
    hours = settings.API_TOKEN_HOURS_STAFF if holds_staff_role(user) else settings.API_TOKEN_HOURS
    return timedelta(hours=hours)


@transaction.atomic
def api_token_issue(
    *, user: User, session_key: str | None = None, request: HttpRequest | None = None
) -> tuple[AuthToken, str]:
    """A new token for each request (hashed at rest by knox; the clear token is returned once, here). Made while
    signed in on the web, it remembers that session so signing out of it revokes the token too."""
    token, secret = AuthToken.objects.create(user=user, expiry=api_token_lifetime(user=user))
    if session_key:
        ApiTokenSession.objects.create(token=token, session_key=session_key)
    security_event_record(
        request=request,
        action="security.token_created",
        user=user,
        detail={"token": token.token_key, "expiry": token.expiry.isoformat(), "web_session": bool(session_key)},
    )
    return token, secret


@transaction.atomic
def api_tokens_revoke(
    *, tokens: Iterable[AuthToken], actor: User | None, reason: str, request: HttpRequest | None = None
) -> int:
    """Revoke tokens (by their owner, on sign-out, password change or account deletion), each audited."""
    tokens = list(tokens)
    # An expired token no longer opens anything: it goes, but its revocation is not an event.
    revoked = [token for token in tokens if token.expiry is None or token.expiry > timezone.now()]
    for token in revoked:
        by = {"by": actor.email} if actor is not None and actor.pk != token.user_id else {}
        security_event_record(
            request=request,
            action="security.token_revoked",
            user=token.user,
            detail={"token": token.token_key, "reason": reason, **by},
        )
    AuthToken.objects.filter(pk__in=[token.pk for token in tokens]).delete()
    return len(revoked)


def api_tokens_revoke_for_session(*, user: User, session_key: str | None) -> int:
    """Signing out of a web session revokes the tokens made in it."""
    if not session_key:
        return 0
    tokens = AuthToken.objects.filter(user=user, web_session__session_key=session_key).select_related("user")
    return api_tokens_revoke(tokens=tokens, actor=user, reason="signed_out")


def api_tokens_expired_purge() -> int:
    """Expired tokens are refused already; deleting them keeps the table to the tokens that still work."""
    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted


PURGE_BATCH_SIZE = 1_000


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
    # A thousand accounts at a time: deleting cascades through lists of their ids, and one statement may carry at
    # most 65,535 values (config.db).
    deleted = 0
    while batch := list(stale.values_list("pk", flat=True)[:PURGE_BATCH_SIZE]):
        count, _ = User.objects.filter(pk__in=batch).delete()
        deleted += count
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
        email=normalise_email(email),
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


def account_copy_to_profile(*, user: User) -> None:
    """After a change of the account's name or active flag, in the same transaction: the clinician's profile keeps a
    copy of both so that staff lists sort, search and filter on one table (docs/adr/0007).

    The copy is read back from the account's row, which the caller has just written and so holds locked until it
    commits: another change of the account waits, and a profile being created meanwhile reads the account under a
    lock too (talent.services.profile_create), so no copy is left behind its account.
    """
    accounts_copy_to_profiles(user_ids=[user.pk])


def accounts_copy_to_profiles(*, user_ids: list) -> int:
    """`account_copy_to_profile` for many accounts in one statement. Returns how many profiles were written."""
    account = User.objects.filter(pk=OuterRef("user_id"))
    return ClinicianProfile.objects.filter(user_id__in=user_ids).update(
        full_name=Subquery(account.values("full_name")), account_active=Subquery(account.values("is_active"))
    )


CONTENT_EDITORS_GROUP = "Content editors"


def content_editors_group_sync() -> Group:
    """The editors' group may view, add and change the content models named in settings.CONTENT_EDITOR_MODELS."""
    editors, _ = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    wanted = Q(pk__in=[])
    for label in settings.CONTENT_EDITOR_MODELS:
        app_label, model = label.split(".")
        actions = "view|add|change|delete" if label in settings.CONTENT_EDITOR_CAN_DELETE else "view|add|change"
        wanted |= Q(content_type__app_label=app_label, content_type__model=model, codename__regex=rf"^({actions})_")
    editors.permissions.set(Permission.objects.filter(wanted))
    return editors


def user_role_access_sync(*, user: User) -> None:
    """Content editors edit content in the admin site, so they need staff access and the editors' group."""
    editors, _ = Group.objects.get_or_create(name=CONTENT_EDITORS_GROUP)
    if role_edits_content(user.role):
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
def training_body_nudge_frequency_set(*, training_body: TrainingBody, frequency: str, actor: User) -> TrainingBody:
    training_body.nudge_frequency = frequency
    training_body.full_clean()
    training_body.save(update_fields=["nudge_frequency"])
    audit_record(
        actor=actor, action="training_body.nudge_frequency_set", subject=training_body, detail={"frequency": frequency}
    )
    return training_body
