"""The second factor at sign-in: an authenticator app (TOTP, django-otp) with ten single-use recovery codes.

Staff roles and superusers must use it (accounts.roles.STAFF_ROLES); a clinician may turn it on. A session
counts as verified once django-otp's `login` has recorded the device in it (`request.user.is_verified()`); until then
`accounts.middleware.SecondFactorRequiredMiddleware` lets such a person reach only these pages and sign-out, and
`VerifiedSessionAuthentication` does not accept their session for the API.

Writes here follow the services' style (keyword-only, DomainError for the person to read); every audit event of the
second factor goes through `_audit`, named `security.mfa.*`.
"""

import base64
from datetime import timedelta

import segno
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.contrib.auth.signals import user_logged_in
from django.core import signing
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.authentication import SessionScheme
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from accounts.audit import security_event_record
from accounts.models import RecoveryCode, User
from accounts.roles import holds_staff_role
from config.errors import DomainError

RECOVERY_CODE_COUNT = 10
# Ten characters of 32 (50 random bits), with no 0/O or 1/l/I to mistake for each other.
RECOVERY_CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
# Django's PBKDF2 hasher with fewer rounds than for passwords: a code is 50 random bits, not something a person chose,
# so the work factor that protects guessable passwords is not needed, and a code is checked against up to ten hashes.
RECOVERY_CODE_ITERATIONS = 50_000
_recovery_code_hasher = PBKDF2PasswordHasher()

# A clinician who turned the second factor on is asked for it at every sign-in: noted in the session when they sign
# in, so their other pages need no query to know it (staff are known by their role).
SESSION_REQUIRED_KEY = "second_factor_required"
REMEMBER_COOKIE = "ltt_remembered_device"
REMEMBER_SALT = "accounts.mfa.remembered-device"

WRONG_CODE = "The code is not right. Enter the 6-digit code your authenticator app shows now, or a recovery code"
TOO_MANY_TRIES = "Too many wrong codes. Wait a minute, then enter the code your authenticator app shows now"
NO_AUTHENTICATOR = "Set up an authenticator app first: sign in to the website to set one up"
ENTER_CODE = "Enter the code from your authenticator app"


def _audit(
    *, request: HttpRequest | None, actor: User | None, action: str, user: User, detail: dict | None = None
) -> None:
    """The one place the second factor writes to the security log (`action` without its `security.mfa.` prefix),
    with the client's address and browser when there is a request; `by` names someone acting on another's account."""
    if actor is not None and actor.pk != user.pk:
        detail = {**(detail or {}), "by": actor.email}
    security_event_record(request=request, action=f"security.mfa.{action}", user=user, detail=detail)


# --- Who must use it ------------------------------------------------------------------------------------------------


def second_factor_required_by_role(user: User) -> bool:
    return bool(user.is_authenticated and holds_staff_role(user))


def second_factor_required(user: User, session) -> bool:
    """Whether this signed-in person must verify a second factor before using the service."""
    return second_factor_required_by_role(user) or bool(user.is_authenticated and session.get(SESSION_REQUIRED_KEY))


def session_verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def authenticator_for(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-id").first()


@receiver(user_logged_in, dispatch_uid="accounts.mfa.note_second_factor")
def _note_second_factor_at_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_REQUIRED_KEY] = second_factor_required_by_role(user) or (
            authenticator_for(user) is not None
        )


# --- Setting up an authenticator app -------------------------------------------------------------------------------


def authenticator_start(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (the same one until it is confirmed, so a reload shows the same
    QR code)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def authenticator_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an authenticator app (base32, in groups of four)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def authenticator_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno's output: markup made by the library, not a person)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=4, dark="#212b32", light="#ffffff", border=2, omitsize=False
    )


def authenticator_confirm(*, user: User, code: str, request: HttpRequest | None = None) -> list[str]:
    """Confirm the authenticator being set up with a code it shows, replace any earlier one, and make ten recovery
    codes (returned for showing once)."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("-id").first()
    if device is None:
        raise DomainError("Start again: the set-up page shows a new code to scan", field="code")
    code = _digits(code)
    if not code:
        raise DomainError(ENTER_CODE, field="code")
    if otp_verify_token(user, device.persistent_id, code) is None:
        raise DomainError(
            "The code is not right. Check the app shows the service's name and enter the code it shows now",
            field="code",
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        codes = _recovery_codes_make(user=user)
        _audit(request=request, actor=user, action="enrolled", user=user)
    return codes


def authenticator_install(*, user: User, secret_base32: str) -> TOTPDevice:
    """Give an account a confirmed authenticator with a known secret: the demo accounts share one so the demo opens
    with any authenticator app. Never for real accounts (their secret is made by django-otp and shown once)."""
    key = base64.b32decode(secret_base32.replace(" ", "").upper() + "=" * (-len(secret_base32) % 8)).hex()
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=True, key=key).first()
        if device is None:
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", key=key, confirmed=True)
    return device


# --- Verifying at sign-in ------------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(code.split())


def _recovery_code_normalise(code: str) -> str:
    return "".join(character for character in code.lower() if character.isalnum())


def second_factor_verify(*, user: User, code: str, request: HttpRequest | None = None) -> TOTPDevice:
    """Check a code from the authenticator app or one of the recovery codes (used up by this). Returns the device the
    session is verified with; DomainError naming `code` otherwise, and the failure is audited. Wrong codes are
    throttled by django-otp, recovery codes included."""
    device = authenticator_for(user)
    if device is None:
        raise DomainError(NO_AUTHENTICATOR, field="code")
    if not code or not code.strip():
        raise DomainError(ENTER_CODE, field="code")
    allowed, _ = device.verify_is_allowed()
    if not allowed:
        _audit(request=request, actor=user, action="verification_failed", user=user, detail={"reason": "throttled"})
        raise DomainError(TOO_MANY_TRIES, field="code")
    digits = _digits(code)
    if digits.isdigit() and len(digits) == device.digits:
        if otp_verify_token(user, device.persistent_id, digits) is not None:
            return device
    elif (remaining := _recovery_code_use(user=user, code=code)) is not None:
        device.throttle_reset()
        _audit(request=request, actor=user, action="recovery_code_used", user=user, detail={"remaining": remaining})
        return device
    else:
        device.throttle_increment()
    _audit(request=request, actor=user, action="verification_failed", user=user)
    raise DomainError(WRONG_CODE, field="code")


def api_token_second_factor_check(*, user: User, otp: str | None, request: HttpRequest | None = None) -> None:
    """Before an API token is issued: staff, and clinicians who turned the second factor on, must send a current
    code (or a recovery code) as `otp`. Raises DomainError naming `otp`."""
    if not (second_factor_required_by_role(user) or authenticator_for(user) is not None):
        return
    if not otp:
        raise DomainError("Send the code from your authenticator app as otp", field="otp")
    try:
        second_factor_verify(user=user, code=otp, request=request)
    except DomainError as error:
        raise DomainError(error.message, field="otp") from error


def session_verify(request: HttpRequest, device: TOTPDevice) -> None:
    """Mark the session verified with this device (django-otp's own login), and remember that it must stay so."""
    otp_login(request, device)
    request.session[SESSION_REQUIRED_KEY] = True


# --- Recovery codes ------------------------------------------------------------------------------------------------


def _recovery_codes_make(*, user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [get_random_string(RECOVERY_CODE_LENGTH, RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(
            user=user,
            code_hash=_recovery_code_hasher.encode(code, _recovery_code_hasher.salt(), RECOVERY_CODE_ITERATIONS),
        )
        for code in codes
    )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def _recovery_code_use(*, user: User, code: str) -> int | None:
    """Use up the recovery code if it is one of the person's unused ones; how many are left, or None."""
    code = _recovery_code_normalise(code)
    if len(code) != RECOVERY_CODE_LENGTH:
        return None
    for recovery_code in RecoveryCode.objects.filter(user=user, used_at__isnull=True).order_by("pk"):
        if _recovery_code_hasher.verify(code, recovery_code.code_hash):
            # Conditional, so two requests with the same code cannot both use it.
            used = RecoveryCode.objects.filter(pk=recovery_code.pk, used_at__isnull=True).update(used_at=timezone.now())
            if used:
                return recovery_codes_left(user=user)
            return None
    return None


def recovery_codes_left(*, user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def recovery_codes_renew(*, user: User, request: HttpRequest | None = None) -> list[str]:
    """New recovery codes for their owner (the old ones stop working)."""
    if authenticator_for(user) is None:
        raise DomainError(NO_AUTHENTICATOR)
    codes = _recovery_codes_make(user=user)
    _audit(request=request, actor=user, action="recovery_codes_renewed", user=user)
    return codes


# --- Turning it off, and a reset ----------------------------------------------------------------------------------


def second_factor_turn_off(*, user: User, code: str, request: HttpRequest | None = None) -> None:
    """A clinician turns the second factor off with a current code (staff cannot: their role requires it)."""
    if second_factor_required_by_role(user):
        raise DomainError("Your role must use a second factor, so it cannot be turned off", field="code")
    second_factor_verify(user=user, code=code, request=request)
    with transaction.atomic():
        _second_factor_remove(user=user)
        _audit(request=request, actor=user, action="turned_off", user=user)


@transaction.atomic
def second_factor_reset(*, user: User, actor: User, request: HttpRequest | None = None) -> None:
    """A superuser removes someone's authenticator and recovery codes (a lost phone): they set up a new one at their
    next sign-in, and remembered devices and verified sessions stop counting (their device is gone)."""
    if not actor.is_superuser:
        raise DomainError("Only a superuser can reset a second factor.")
    _second_factor_remove(user=user)
    _audit(request=request, actor=actor, action="reset", user=user)


def _second_factor_remove(*, user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


# --- Remembering a device ------------------------------------------------------------------------------------------


def _remember_salt(user: User) -> str:
    # The session hash changes with the password, so a password change forgets every remembered device.
    return f"{REMEMBER_SALT}:{user.pk}:{user.get_session_auth_hash()}"


def device_remember(*, response: HttpResponse, user: User, device: TOTPDevice) -> None:
    """Let this browser skip the code for MFA_REMEMBER_DEVICE_DAYS: a signed cookie naming the person and device."""
    days = settings.MFA_REMEMBER_DEVICE_DAYS
    if days <= 0:
        return
    value = signing.dumps({"user": str(user.pk), "device": device.pk}, salt=_remember_salt(user))
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=int(timedelta(days=days).total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def remembered_device(request: HttpRequest, user: User) -> TOTPDevice | None:
    """The device this browser was told to remember for this person, if the cookie is theirs, unexpired, made since
    their last password change, and the device is still theirs and confirmed (a reset deletes it)."""
    value = request.COOKIES.get(REMEMBER_COOKIE)
    if not value or settings.MFA_REMEMBER_DEVICE_DAYS <= 0:
        return None
    try:
        payload = signing.loads(
            value, salt=_remember_salt(user), max_age=timedelta(days=settings.MFA_REMEMBER_DEVICE_DAYS)
        )
    except signing.BadSignature:
        return None
    if payload.get("user") != str(user.pk):
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).filter(pk=payload.get("device")).first()


# --- The API -------------------------------------------------------------------------------------------------------


class VerifiedSessionScheme(SessionScheme):
    """Documented in the schema as the session authentication it is."""

    target_class = "accounts.mfa.VerifiedSessionAuthentication"


class VerifiedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, refusing the session of someone who must use a second factor and has not yet
    (their password alone must not open the API)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user = request._request.user
        if second_factor_required(user, request._request.session) and not session_verified(user):
            raise exceptions.PermissionDenied("Verify your second factor on the website before using the API.")
        return result
