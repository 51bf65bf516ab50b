from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("talent", "0012_confirm_existing_training_body_members")]

    operations = [
        migrations.AddConstraint(
            model_name="clinicianprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("training_body__isnull", True), ("requested_training_body__isnull", True), _connector="OR"
                ),
                name="profile_one_training_body",
            ),
        ),
        migrations.AddConstraint(
            model_name="clinicianprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("training_body__isnull", True), ("training_body_confirmed_at__isnull", False), _connector="OR"
                ),
                name="profile_training_body_confirmed_dated",
            ),
        ),
        migrations.AddConstraint(
            model_name="clinicianprofile",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("requested_training_body__isnull", True),
                    ("training_body_requested_at__isnull", False),
                    _connector="OR",
                ),
                name="profile_training_body_request_dated",
            ),
        ),
    ]
