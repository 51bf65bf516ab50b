# The roll-up models, taken over from the talent app (talent/migrations/0010) with their tables as they are
# (`db_table` keeps the talent_ names): talent's migrations 0005 to 0007 created them, on a fresh database as on an
# existing one, so this records them in Django's state and touches no table.

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("talent", "0010_pipeline_rollups_moved_to_pipeline"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PipelineRollupRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("refreshed_at", models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                        ("duration_ms", models.PositiveIntegerField(default=0)),
                        ("clinicians", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "talent_pipelinerolluprun",
                        "ordering": ["-refreshed_at", "-id"],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineCoarseBackgroundRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region_id", models.IntegerField()),
                        ("training_body_id", models.IntegerField(null=True)),
                        ("profession", models.CharField(max_length=40)),
                        ("career_stage", models.CharField(max_length=32)),
                        ("early_career", models.BooleanField()),
                        ("leader", models.BooleanField()),
                        ("attribute", models.CharField(max_length=32)),
                        ("value", models.CharField(max_length=40)),
                        ("clinicians", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "talent_pipelinecoarsebackgroundrollup",
                        "indexes": [
                            models.Index(fields=["region_id", "profession"], name="pipeline_coarse_background_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineCoarseRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region_id", models.IntegerField()),
                        ("training_body_id", models.IntegerField(null=True)),
                        ("profession", models.CharField(max_length=40)),
                        ("career_stage", models.CharField(max_length=32)),
                        ("early_career", models.BooleanField()),
                        (
                            "stage",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Registered"),
                                    (1, "Interested"),
                                    (2, "Developing"),
                                    (3, "Nominated"),
                                    (4, "Approved"),
                                    (5, "In a leadership role"),
                                ]
                            ),
                        ),
                        ("leader", models.BooleanField()),
                        ("clinicians", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "talent_pipelinecoarserollup",
                        "indexes": [
                            models.Index(fields=["region_id", "profession"], name="pipeline_coarse_region_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineCoarseTrendRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region_id", models.IntegerField()),
                        ("training_body_id", models.IntegerField(null=True)),
                        ("profession", models.CharField(max_length=40)),
                        ("career_stage", models.CharField(max_length=32)),
                        ("early_career", models.BooleanField()),
                        ("month", models.DateField()),
                        ("metric", models.CharField(max_length=32)),
                        ("events", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "talent_pipelinecoarsetrendrollup",
                        "indexes": [models.Index(fields=["region_id", "profession"], name="pipeline_coarse_trend_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region_id", models.IntegerField()),
                        ("training_body_id", models.IntegerField(null=True)),
                        ("profession", models.CharField(max_length=40)),
                        ("career_stage", models.CharField(max_length=32)),
                        ("early_career", models.BooleanField()),
                        ("specialty", models.CharField(max_length=120)),
                        (
                            "joined_month",
                            models.DateField(help_text="First day of the month the clinician's profile was created."),
                        ),
                        (
                            "stage",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Registered"),
                                    (1, "Interested"),
                                    (2, "Developing"),
                                    (3, "Nominated"),
                                    (4, "Approved"),
                                    (5, "In a leadership role"),
                                ]
                            ),
                        ),
                        ("leader", models.BooleanField()),
                        ("clinicians", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "talent_pipelinerollup",
                        "indexes": [
                            models.Index(fields=["region_id", "profession"], name="pipeline_rollup_region_idx")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineTrendRollup",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("region_id", models.IntegerField()),
                        ("training_body_id", models.IntegerField(null=True)),
                        ("profession", models.CharField(max_length=40)),
                        ("career_stage", models.CharField(max_length=32)),
                        ("early_career", models.BooleanField()),
                        ("specialty", models.CharField(max_length=120)),
                        (
                            "joined_month",
                            models.DateField(help_text="First day of the month the clinician's profile was created."),
                        ),
                        ("month", models.DateField()),
                        ("metric", models.CharField(max_length=32)),
                        ("events", models.PositiveIntegerField()),
                    ],
                    options={
                        "db_table": "talent_pipelinetrendrollup",
                        "indexes": [models.Index(fields=["region_id", "profession"], name="pipeline_trend_region_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="PipelineScopeSummary",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("scope", models.CharField(help_text='"national" or "region:<id>".', max_length=40)),
                        ("summary", models.JSONField()),
                        (
                            "run",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="summaries",
                                to="pipeline.pipelinerolluprun",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "talent_pipelinescopesummary",
                        "constraints": [
                            models.UniqueConstraint(fields=("run", "scope"), name="pipeline_summary_one_per_scope")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
