"""API tokens move to django-rest-knox (hashed, expiring); DRF's authtoken app is gone, and its table of clear-text
tokens with it: every token issued before stops working (docs/operations.md)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0009_recovery_codes"),
        ("knox", "0009_extend_authtoken_field"),
        migrations.swappable_dependency(settings.KNOX_TOKEN_MODEL),
    ]

    operations = [
        # The authtoken app is no longer installed, so its own migrations cannot remove its table. Nothing to put
        # back on the way down: the tokens were the secret, and they are not kept.
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL("DELETE FROM django_migrations WHERE app = 'authtoken'", reverse_sql=migrations.RunSQL.noop),
        migrations.CreateModel(
            name="ApiTokenSession",
            fields=[
                (
                    "token",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="web_session",
                        serialize=False,
                        to=settings.KNOX_TOKEN_MODEL,
                    ),
                ),
                ("session_key", models.CharField(db_index=True, max_length=40)),
            ],
        ),
    ]
