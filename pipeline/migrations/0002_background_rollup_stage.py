# The furthest stage on the equality rows of the backgrounds roll-up (the relative likelihood of moving on reads it).
# Rows written before this migration have none until the next refresh, which the beat runs every two minutes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="pipelinecoarsebackgroundrollup",
            name="stage",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Registered"),
                    (1, "Interested"),
                    (2, "Developing"),
                    (3, "Nominated"),
                    (4, "Approved"),
                    (5, "In a leadership role"),
                ],
                help_text="Furthest stage; empty on leadership-qualification rows.",
                null=True,
            ),
        ),
    ]
