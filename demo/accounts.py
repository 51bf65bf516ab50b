"""Demo data: the four demo accounts and three training bodies (the synthetic population is in demo/bulk.py).
Safe to run again."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.mfa import authenticator_install, second_factor_required_by_role
from accounts.models import Region, Role, TrainingBody, TrainingBodyKind, TrainingBodyMembership, User
from accounts.services import account_copy_to_profile, user_role_access_sync

SYNTHETIC_EMAIL_DOMAIN = "synthetic.demo.test"

DEMO_TRAINING_BODIES = [
    ("North West local office (demo)", "north-west-local-office-demo", TrainingBodyKind.LOCAL_OFFICE, "north-west"),
    ("Royal College of Leadership Practice (demo)", "royal-college-demo", TrainingBodyKind.ROYAL_COLLEGE, "london"),
    ("Midlands Teaching Hospitals NHS Trust (demo)", "midlands-trust-demo", TrainingBodyKind.TRUST, "midlands"),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    description: str


DEMO_ACCOUNTS = [
    DemoAccount("clinician@demo.test", "Amina Okafor", Role.CLINICIAN, "early-career doctor"),
    DemoAccount(
        "tbadmin@demo.test",
        "Gareth Hughes",
        Role.TRAINING_BODY_ADMIN,
        "admin of the North West local office, the demo clinician's training body",
    ),
    DemoAccount("hee@demo.test", "Priya Natarajan", Role.HEE_STAFF, "national HEE staff"),
    DemoAccount("editor@demo.test", "Tom Fletcher", Role.CONTENT_EDITOR, "content editor"),
]


@transaction.atomic
def demo_training_bodies_seed() -> list[TrainingBody]:
    bodies = []
    regions = {region.slug: region for region in Region.objects.all()}
    for name, slug, kind, region_slug in DEMO_TRAINING_BODIES:
        body, _ = TrainingBody.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "region": regions[region_slug],
                "contact_emails": f"leadership@{slug}.demo.test",
            },
        )
        bodies.append(body)
    return bodies


@transaction.atomic
def demo_accounts_seed(*, password: str, totp_secret: str | None = None) -> list[User]:
    """The demo accounts, with `password`; the staff among them share one authenticator secret (DEMO_TOTP_SECRET by
    default), so the demo opens with any authenticator app."""
    totp_secret = totp_secret or settings.DEMO_TOTP_SECRET
    bodies = demo_training_bodies_seed()
    users = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first() or User(email=account.email)
        user.full_name = account.full_name
        user.role = account.role
        user.is_active = True
        user.email_confirmed_at = user.email_confirmed_at or timezone.now()
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save()
        account_copy_to_profile(user=user)
        user_role_access_sync(user=user)
        if second_factor_required_by_role(user):
            authenticator_install(user=user, secret_base32=totp_secret)
        users.append(user)
    tb_admin = next(u for u in users if u.role == Role.TRAINING_BODY_ADMIN)
    TrainingBodyMembership.objects.get_or_create(user=tb_admin, training_body=bodies[0])
    return users
