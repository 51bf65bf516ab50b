"""People and organisations: users and their roles, NHS England regions, training bodies."""

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.emails import normalise_email
from accounts.permissions import is_role_permission, user_can
from accounts.roles import Role


class Region(models.Model):
    """One of the seven NHS England regions (reference data, loaded by a migration)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Every account's address in one form (accounts/emails.py), whoever creates it."""
        return normalise_email(email or "")

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        extra_fields.setdefault("email_confirmed_at", timezone.now())
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        # An exact match on the stored form: the lock-out counts attempts under the same form (accounts/lockout.py).
        return self.get(email=normalise_email(username))


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Email is the login; the role decides what they may see and do."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField("email address", max_length=254, unique=True)
    full_name = models.CharField(max_length=150)
    role = models.CharField(max_length=32, choices=Role.choices, default=Role.CLINICIAN)
    hee_region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hee_staff",
        help_text="HEE staff only: limits them to one region. Leave empty for national staff.",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField("can use the admin site", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
            # Addresses are stored normalised (accounts/emails.py); the database refuses capitals that would let
            # one address be stored twice or be missed by an exact match.
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="user_email_stored_lower_case"),
            models.CheckConstraint(
                condition=models.Q(hee_region__isnull=True) | models.Q(role=Role.HEE_STAFF),
                name="user_region_only_for_hee_staff",
            ),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="user_role_valid"),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self) -> None:
        super().clean()
        self.email = normalise_email(self.email)
        if self.hee_region_id and self.role != Role.HEE_STAFF:
            raise ValidationError({"hee_region": "Only HEE staff can be limited to a region."})

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def has_perm(self, perm: str, obj=None) -> bool:
        """What the service lets a person do comes from their role alone (accounts/permissions.py), superuser or not:
        Django grants superusers every permission, which is right for the admin site but would let, say, a superuser
        on HEE staff create a clinician profile. Other permissions are Django's, for the admin site."""
        if is_role_permission(perm):
            return user_can(self, perm)
        return super().has_perm(perm, obj)


class TrainingBodyKind(models.TextChoices):
    LOCAL_OFFICE = "local_office", "Local office or deanery"
    ROYAL_COLLEGE = "royal_college", "Royal college"
    TRUST = "trust", "NHS trust"
    UNIVERSITY = "university", "University"
    OTHER = "other", "Other"


class NudgeFrequency(models.TextChoices):
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"
    OFF = "off", "Off"


def validate_email_list(value: str) -> None:
    for address in split_email_list(value):
        try:
            validate_email(address)
        except ValidationError as error:
            raise ValidationError(f"“{address}” is not a valid email address.") from error


def split_email_list(value: str) -> list[str]:
    return [part.strip() for part in value.replace(",", "\n").splitlines() if part.strip()]


class TrainingBody(models.Model):
    """An organisation that trains clinicians: a local office or deanery, royal college, trust, university."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=TrainingBodyKind.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="training_bodies")
    contact_emails = models.TextField(
        blank=True,
        validators=[validate_email_list],
        help_text="One address per line. Nudges and reminders also go to the body's admins.",
    )
    nudge_frequency = models.CharField(max_length=16, choices=NudgeFrequency.choices, default=NudgeFrequency.WEEKLY)
    admins = models.ManyToManyField(User, through="TrainingBodyMembership", related_name="administered_bodies")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "training bodies"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=TrainingBodyKind.values), name="trainingbody_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(nudge_frequency__in=NudgeFrequency.values), name="trainingbody_nudge_frequency_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def contact_email_list(self) -> list[str]:
        return split_email_list(self.contact_emails)


class TrainingBodyMembership(models.Model):
    """Makes a training-body admin an admin of one training body."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="training_body_memberships")
    training_body = models.ForeignKey(TrainingBody, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "training_body"], name="membership_unique_user_body"),
        ]

    def __str__(self) -> str:
        return f"{self.user} administers {self.training_body}"

    def clean(self) -> None:
        if self.user_id and self.user.role != Role.TRAINING_BODY_ADMIN:
            raise ValidationError({"user": "Only training-body admins can administer a training body."})


class AuditEvent(models.Model):
    """Append-only record of who did what, when. Rows are never changed or deleted by the service."""

    actor = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=64)
    subject_type = models.CharField(max_length=64, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Audit events cannot be deleted.")


class SecurityEvent(models.Model):
    """A sign-in, lock-out, password, second-factor or token event: when, for which account (or the address tried),
    from which client address and browser. Kept SECURITY_AUDIT_DAYS, then purged by a daily job; never changed."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    email = models.CharField("address tried", max_length=254, blank=True)
    client_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=512, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ValidationError("Security events cannot be changed.")
        super().save(*args, **kwargs)


class OutboxState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class OutboxMessage(models.Model):
    """An email the service owes, written in the same transaction as its cause (DESIGN.md section 5).

    The row is the promise; a task delivers it, and a beat sweep re-delivers anything left pending or stuck, so a
    broker outage or a dead worker delays a message but never loses it. The idempotency key makes "owe this message
    once" a database fact: writing the same promise twice is a no-op.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    idempotency_key = models.CharField(max_length=200, unique=True)
    # What kind of message; names the templates emails/<kind>_subject.txt, emails/<kind>.txt and emails/<kind>.html.
    kind = models.CharField(max_length=64)
    to_email = models.EmailField()
    context = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=OutboxState.choices, default=OutboxState.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # Not before this time (retry backoff).
    available_at = models.DateTimeField(default=timezone.now)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "outbox message"
        constraints = [
            models.CheckConstraint(condition=models.Q(state__in=OutboxState.values), name="outbox_state_valid"),
            models.CheckConstraint(
                condition=~models.Q(state=OutboxState.SENT) | models.Q(sent_at__isnull=False),
                name="outbox_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=OutboxState.SENDING) | models.Q(sending_since__isnull=False),
                name="outbox_sending_has_time",
            ),
        ]
        indexes = [
            # The sweep's question: what is waiting, oldest first. Sent rows (nearly all) stay out of the index.
            models.Index(
                fields=["state", "available_at"],
                name="outbox_unsent_idx",
                condition=models.Q(state__in=[OutboxState.PENDING, OutboxState.SENDING]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.to_email} ({self.get_state_display()})"


class RecoveryCode(models.Model):
    """One of the ten single-use codes that stand in for the authenticator app when it is lost. Only a hash is kept
    (django-otp's static device would keep the codes in clear); the person sees the codes once, when they are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user"], condition=models.Q(used_at__isnull=True), name="recovery_code_unused")]

    def __str__(self) -> str:
        return f"Recovery code of {self.user_id}"


class ApiTokenSession(models.Model):
    """The web session an API token was made in (signed in on the web when asking for it): signing out of that
    session revokes the token with it."""

    token = models.OneToOneField(
        "knox.AuthToken", on_delete=models.CASCADE, primary_key=True, related_name="web_session"
    )
    session_key = models.CharField(max_length=40, db_index=True)

    def __str__(self) -> str:
        return f"{self.token.token_key} made in a web session"
