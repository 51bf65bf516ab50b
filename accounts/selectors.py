"""Reads for accounts, scoped to the user asking where they answer a person."""

from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from knox.models import AuthToken

from accounts.emails import normalise_email
from accounts.models import Role, TrainingBody, User


def unconfirmed_account_for(email: str) -> User | None:
    """An account that signed up with this address and has not followed its confirmation link yet."""
    return User.objects.filter(email=normalise_email(email), is_active=False, email_confirmed_at__isnull=True).first()


def accounts_for_password_reset(email: str) -> Iterator[User]:
    """Active accounts, and accounts still waiting for confirmation, with a usable password and this address."""
    candidates = User.objects.filter(email=normalise_email(email)).filter(
        Q(is_active=True) | Q(email_confirmed_at__isnull=True)
    )
    return (user for user in candidates if user.has_usable_password())


def training_bodies_administered_by(user: User) -> QuerySet[TrainingBody]:
    """The training bodies this user administers; empty for everyone but training-body admins."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return TrainingBody.objects.none()
    return TrainingBody.objects.filter(memberships__user=user).select_related("region")


def training_bodies_with_waiting_members(user: User) -> QuerySet[TrainingBody]:
    """The bodies the user administers, each with `waiting_count`: clinicians who chose it and wait for its admins
    to confirm them."""
    return training_bodies_administered_by(user).annotate(
        waiting_count=Count("membership_requests", filter=Q(membership_requests__account_active=True), distinct=True)
    )


def training_body_for_admin(user: User, slug: str) -> TrainingBody:
    """One body the user administers; 404 otherwise, so another body's existence does not leak."""
    body = training_bodies_administered_by(user).filter(slug=slug).first()
    if body is None:
        raise Http404("No such training body.")
    return body


def training_body_admins(body: TrainingBody) -> QuerySet[User]:
    return User.objects.filter(training_body_memberships__training_body=body).order_by("full_name")


def api_tokens_of(user: User) -> QuerySet[AuthToken]:
    """The person's own API tokens that still open the API, newest first."""
    return (
        AuthToken.objects.filter(user=user)
        .filter(Q(expiry__isnull=True) | Q(expiry__gt=timezone.now()))
        .select_related("user", "web_session")
        .order_by("-created")
    )


def api_token_of(user: User, token_key: str) -> AuthToken:
    """One of the person's own live tokens; anyone else's, or an expired one, does not exist for them."""
    token = api_tokens_of(user).filter(token_key=token_key).first()
    if token is None:
        raise Http404("No such API token.")
    return token
