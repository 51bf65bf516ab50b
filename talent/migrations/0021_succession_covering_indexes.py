# The succession figures read a few tens of thousands of pool members' profiles and equality answers out of a
# national population. These covering indexes hold just the columns they read (docs/adr/0013), so PostgreSQL
# answers from small indexes instead of reading the wide profile rows. PostgreSQL only: SQLite (`make run`) has
# no covering indexes and a few hundred clinicians.

from django.db import migrations

CREATE = [
    "CREATE INDEX IF NOT EXISTS profile_succession_facts ON talent_clinicianprofile (id) "
    "INCLUDE (region_id, profession, training_body_id, shares_with_training_body, shares_with_hee) "
    "WHERE account_active",
    "CREATE INDEX IF NOT EXISTS equality_answers_by_profile ON talent_equalitymonitoring (profile_id) "
    "INCLUDE (sex, ethnic_group, disability, age_band)",
]
DROP = [
    "DROP INDEX IF EXISTS profile_succession_facts",
    "DROP INDEX IF EXISTS equality_answers_by_profile",
]


def _run(schema_editor, statements: list[str]) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def indexes_create(apps, schema_editor):
    _run(schema_editor, CREATE)


def indexes_drop(apps, schema_editor):
    _run(schema_editor, DROP)


class Migration(migrations.Migration):
    dependencies = [("talent", "0020_licence_plans")]

    operations = [migrations.RunPython(indexes_create, indexes_drop)]
