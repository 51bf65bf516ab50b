# Affiliations made before bodies confirmed their members are taken as confirmed (by nobody, at migration time), so
# nobody drops out of their body's lists on the day this ships.

from django.db import migrations
from django.utils import timezone


def existing_members_confirm(apps, schema_editor):
    ClinicianProfile = apps.get_model("talent", "ClinicianProfile")
    ClinicianProfile.objects.filter(training_body__isnull=False, training_body_confirmed_at__isnull=True).update(
        training_body_confirmed_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("talent", "0011_profile_training_body_requests")]

    operations = [migrations.RunPython(existing_members_confirm, migrations.RunPython.noop)]
