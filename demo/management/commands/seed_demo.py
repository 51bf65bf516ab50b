from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from accounts.models import Role
from demo.accounts import DEMO_ACCOUNTS, demo_accounts_seed
from demo.bulk import synthetic_population_seed
from demo.bulk_support import support_population_seed
from demo.development import MENTOR_EMAIL, demo_mentoring_seed, demo_plan_seed
from demo.feedback import demo_feedback_seed
from demo.nudges import demo_nudges_seed
from demo.pools import demo_pools_seed
from demo.support import demo_support_seed
from demo.talent import demo_clinician_profile_seed, demo_membership_requests_seed, demo_nominations_seed
from pipeline.services import pipeline_rollups_refresh


class Command(BaseCommand):
    help = "Load demo data: the four demo accounts, three training bodies and N synthetic clinicians (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--clinicians", type=int, default=300, help="How many synthetic clinicians (default 300).")

    def handle(self, *args, clinicians: int, **options) -> None:
        if clinicians < 0:
            self.stderr.write("--clinicians must be 0 or more.")
            raise SystemExit(2)
        password = settings.DEMO_PASSWORD
        call_command("load_starter_content", stdout=self.stdout)
        users = demo_accounts_seed(password=password)
        clinician = next(user for user in users if user.role == Role.CLINICIAN)
        tb_admin = next(user for user in users if user.role == Role.TRAINING_BODY_ADMIN)
        demo_clinician_profile_seed(user=clinician, training_body=tb_admin.administered_bodies.get())
        # The synthetic national population: accounts, profiles and their history, streamed in chunks.
        seeded = synthetic_population_seed(count=clinicians, password=password, progress=self.stdout.write)
        support_population_seed(progress=self.stdout.write)
        demo_nominations_seed(tb_admin=tb_admin, clinician=clinician)
        demo_nudges_seed(training_body=tb_admin.administered_bodies.get())
        demo_feedback_seed(clinician=clinician)
        demo_support_seed(training_body=tb_admin.administered_bodies.get(), tb_admin=tb_admin, clinician=clinician)
        demo_membership_requests_seed(training_body=tb_admin.administered_bodies.get())
        demo_plan_seed(clinician=clinician)
        demo_mentoring_seed(clinician=clinician, training_body=tb_admin.administered_bodies.get(), password=password)
        hee = next(user for user in users if user.role == Role.HEE_STAFF)
        demo_pools_seed(
            training_body=tb_admin.administered_bodies.get(), tb_admin=tb_admin, hee=hee, clinician=clinician
        )
        # The dashboard reads roll-ups, so refresh them now rather than wait for the beat.
        pipeline_rollups_refresh()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready ({seeded.clinicians_added} synthetic clinicians added with their profiles "
                f"in {seeded.seconds:.1f} s)."
            )
        )
        self.stdout.write(f"Demo accounts (password: {password}):")
        for account, user in zip(DEMO_ACCOUNTS, users, strict=True):
            self.stdout.write(f"  {user.email:<22} {account.description}")
        self.stdout.write(f"  {MENTOR_EMAIL:<22} clinical director who mentors clinician@demo.test")
        self.stdout.write(
            f"Staff accounts also ask for a code from an authenticator app: add the setup key "
            f"{settings.DEMO_TOTP_SECRET} (time-based, 6 digits) to any authenticator app."
        )
