"""factory_boy factories shared by the whole suite."""

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Region, Role, TrainingBody, TrainingBodyKind, TrainingBodyMembership, User
from accounts.services import user_role_access_sync
from regulators.models import Regulator

TEST_PASSWORD = "Correct-Horse-Battery-9"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.nhs.uk")
    full_name = factory.Faker("name", locale="en_GB")
    role = Role.CLINICIAN
    is_active = True
    email_confirmed_at = factory.LazyFunction(timezone.now)
    password = factory.django.Password(TEST_PASSWORD)


class ClinicianFactory(UserFactory):
    role = Role.CLINICIAN


class StaffFactory(UserFactory):
    """Staff sign in with a second factor: they have an authenticator app set up (`authenticator=False` for one
    who has yet to set it up). Its codes: tests.mfa.code_now(device)."""

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="Authenticator app", confirmed=True)


class HEEStaffFactory(StaffFactory):
    role = Role.HEE_STAFF


class EditorFactory(StaffFactory):
    role = Role.CONTENT_EDITOR

    @factory.post_generation
    def admin_access(self, create, extracted, **kwargs):
        if create:
            user_role_access_sync(user=self)


class TrainingBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingBody

    name = factory.Sequence(lambda n: f"Training body {n}")
    slug = factory.Sequence(lambda n: f"training-body-{n}")
    kind = TrainingBodyKind.LOCAL_OFFICE
    region = factory.LazyFunction(lambda: Region.objects.order_by("?").first())
    contact_emails = factory.LazyAttribute(lambda body: f"leadership@{body.slug}.example.nhs.uk")


class TrainingBodyAdminFactory(StaffFactory):
    role = Role.TRAINING_BODY_ADMIN

    @factory.post_generation
    def training_body(self, create, extracted, **kwargs):
        if create:
            TrainingBodyMembership.objects.create(user=self, training_body=extracted or TrainingBodyFactory())


class ClinicianProfileFactory(factory.django.DjangoModelFactory):
    """A doctor in specialty training with a valid GMC number, sharing with both their training body and HEE."""

    class Meta:
        model = "talent.ClinicianProfile"

    user = factory.SubFactory(ClinicianFactory)
    profession = "doctor"
    regulator = factory.LazyFunction(lambda: Regulator.objects.get(code="GMC"))
    registration_number = factory.Sequence(lambda n: f"{7000000 + n:07d}")
    first_registration_year = factory.LazyFunction(lambda: timezone.localdate().year - 4)
    career_stage = "specialty_training"
    specialty_training_year = 3
    specialty = "Emergency medicine"
    employer_name = "Example Teaching Hospitals NHS Foundation Trust"
    employer_ods_code = "RXX"
    region = factory.LazyFunction(lambda: Region.objects.get(slug="north-west"))
    # A body given here is one whose admins have confirmed the clinician (pass `requested_training_body` and
    # `training_body_requested_at` for one still waiting).
    training_body = None
    training_body_confirmed_at = factory.LazyAttribute(
        lambda profile: timezone.now() if profile.training_body else None
    )
    shares_with_training_body = True
    shares_with_hee = True
    # The account's name and active flag, copied as talent.services.profile_create does.
    full_name = factory.SelfAttribute("user.full_name")
    account_active = factory.SelfAttribute("user.is_active")


class InterestRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "talent.InterestRecord"

    profile = factory.SubFactory(ClinicianProfileFactory)
    level = 2
    readiness_horizon = "1_3_years"
    note = "Thinking about clinical director roles."


class NominationFactory(factory.django.DjangoModelFactory):
    """A clinician's application waiting for their training body's decision (state `submitted`).

    Pass `profile` and `opportunity`; the deciding body is the clinician's. Built directly (not through the service),
    so tests can set up any state; pass the fields the state needs (e.g. `decided_at` for approved).
    """

    class Meta:
        model = "talent.Nomination"

    profile = factory.SubFactory(ClinicianProfileFactory, training_body=factory.SubFactory(TrainingBodyFactory))
    opportunity = None
    training_body = factory.LazyAttribute(lambda nomination: nomination.profile.training_body)
    route = "application"
    nominated_by = factory.LazyAttribute(lambda nomination: nomination.profile.user)
    supporting_statement = "I lead our department's rota redesign and want to develop as a clinical leader."
    state = "submitted"
    submitted_at = factory.LazyFunction(timezone.now)
