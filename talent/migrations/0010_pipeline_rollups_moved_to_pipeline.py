# The pipeline's roll-up models now belong to the `pipeline` app (pipeline/migrations/0001_initial.py takes them
# over). Only Django's record of them moves: the tables keep their names and their rows, so nothing is dropped here.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0009_profile_account_copy_without_triggers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name="PipelineCoarseBackgroundRollup",
                ),
                migrations.DeleteModel(
                    name="PipelineCoarseRollup",
                ),
                migrations.DeleteModel(
                    name="PipelineCoarseTrendRollup",
                ),
                migrations.DeleteModel(
                    name="PipelineRollup",
                ),
                migrations.RemoveField(
                    model_name="pipelinescopesummary",
                    name="run",
                ),
                migrations.DeleteModel(
                    name="PipelineTrendRollup",
                ),
                migrations.DeleteModel(
                    name="PipelineRollupRun",
                ),
                migrations.DeleteModel(
                    name="PipelineScopeSummary",
                ),
            ],
            database_operations=[],
        ),
    ]
