"""Reads for accounts, scoped to the user asking where they answer a person (not `user_by_pk`, which answers the
sign-in machinery)."""

import uuid
from collections.abc import Iterator
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.models import Role, TrainingBody, User


def user_by_pk(pk) -> User | None:
    """One account by primary key, active or not, or None: the read behind every request signed in through a
    session (accounts.backends.AccountBackend, which refuses inactive accounts).

    Its SQL is compiled once per process and database. With the ORM, building and compiling this one small query
    took as long again as running it (some 0.35 ms on the reference machine, about all of what `/healthz` takes),
    on every page; the SQL itself never changes.
    """
    alias = router.db_for_read(User)
    sql, columns, converters = _user_by_pk_statement(alias)
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(sql, [User._meta.pk.get_db_prep_value(pk, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    # What the ORM would do to the raw values: nothing on PostgreSQL; on SQLite, e.g., text to datetimes.
    for position, (functions, expression) in converters.items():
        for convert in functions:
            values[position] = convert(values[position], expression, connection)
    return User.from_db(alias, columns, values)


@cache
def _user_by_pk_statement(alias: str) -> tuple[str, list[str], dict]:
    """The SQL `User.objects.filter(pk=...)` compiles to, the attribute each column fills, and the conversions the
    database needs for them."""
    placeholder = uuid.UUID(int=0)  # holds the parameter's place
    compiler = User._default_manager.filter(pk=placeholder).order_by().query.get_compiler(alias)
    sql, params = compiler.as_sql()
    if len(params) != 1:
        raise ImproperlyConfigured(f"Reading a user by primary key should take one parameter, not {params!r}.")
    selected = [column for column, _, _ in compiler.select]
    return sql, [column.target.attname for column in selected], compiler.get_converters(selected)


def unconfirmed_account_for(email: str) -> User | None:
    """An account that signed up with this address and has not followed its confirmation link yet."""
    return User.objects.filter(email__iexact=email.strip(), is_active=False, email_confirmed_at__isnull=True).first()


def accounts_for_password_reset(email: str) -> Iterator[User]:
    """Active accounts, and accounts still waiting for confirmation, with a usable password and this address."""
    candidates = User.objects.filter(email__iexact=email.strip()).filter(
        Q(is_active=True) | Q(email_confirmed_at__isnull=True)
    )
    return (user for user in candidates if user.has_usable_password())


def training_bodies_administered_by(user: User) -> QuerySet[TrainingBody]:
    """The training bodies this user administers; empty for everyone but training-body admins."""
    if not user.is_authenticated or user.role != Role.TRAINING_BODY_ADMIN:
        return TrainingBody.objects.none()
    return TrainingBody.objects.filter(memberships__user=user).select_related("region")


def training_body_for_admin(user: User, slug: str) -> TrainingBody:
    """One body the user administers; 404 otherwise, so another body's existence does not leak."""
    body = training_bodies_administered_by(user).filter(slug=slug).first()
    if body is None:
        raise Http404("No such training body.")
    return body


def training_body_admins(body: TrainingBody) -> QuerySet[User]:
    return User.objects.filter(training_body_memberships__training_body=body).order_by("full_name")
