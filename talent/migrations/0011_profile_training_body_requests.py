# A clinician's choice of training body is a request until an admin of the body confirms it: the confirmed body
# stays in `training_body`, a request waits in `requested_training_body`.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_drop_user_full_name_index"),
        ("regulators", "0003_licence_guidance_and_revalidation"),
        ("talent", "0010_pipeline_rollups_moved_to_pipeline"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicianprofile",
            name="requested_training_body",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="membership_requests",
                to="accounts.trainingbody",
            ),
        ),
        migrations.AddField(
            model_name="clinicianprofile",
            name="training_body_confirmed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="clinicianprofile",
            name="training_body_confirmed_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="clinicianprofile",
            name="training_body_requested_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="clinicianprofile",
            index=models.Index(
                condition=models.Q(("requested_training_body__isnull", False)),
                fields=["requested_training_body", "training_body_requested_at"],
                name="profile_body_request_idx",
            ),
        ),
    ]
