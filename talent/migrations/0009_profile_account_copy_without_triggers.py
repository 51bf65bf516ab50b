# The profile's copy of its account's name and active flag is written by the services that change either
# (accounts.services.account_copy_to_profile, docs/adr/0007), no longer by triggers: they go, on PostgreSQL
# (migration 0008's) and on SQLite (made after every `migrate` by code that is gone too). Any copy that disagrees
# with its account is then put right once, in one statement that writes only those.

import importlib

from django.db import migrations

SQLITE_TRIGGERS = ["profile_copy_account_insert", "profile_copy_account_update", "account_copy_to_profile"]

POSTGRESQL_DROP = """
DROP TRIGGER IF EXISTS account_copy_to_profile ON accounts_user;
DROP FUNCTION IF EXISTS talent_account_copy_to_profile();
DROP TRIGGER IF EXISTS profile_copy_account ON talent_clinicianprofile;
DROP FUNCTION IF EXISTS talent_profile_copy_account();
"""

# Only the profiles whose copy disagrees are written.
COPY = """
UPDATE talent_clinicianprofile SET
    full_name = (SELECT u.full_name FROM accounts_user u WHERE u.id = talent_clinicianprofile.user_id),
    account_active = (SELECT u.is_active FROM accounts_user u WHERE u.id = talent_clinicianprofile.user_id)
WHERE full_name IS DISTINCT FROM (SELECT u.full_name FROM accounts_user u WHERE u.id = talent_clinicianprofile.user_id)
    OR account_active IS DISTINCT FROM (SELECT u.is_active FROM accounts_user u WHERE u.id = talent_clinicianprofile.user_id)
"""


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, None)
    elif schema_editor.connection.vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


def postgresql_triggers_create(apps, schema_editor):
    """Back to migration 0008, whose reversal drops its triggers and so needs them there."""
    if schema_editor.connection.vendor == "postgresql":
        previous = importlib.import_module("talent.migrations.0008_profile_account_copy")
        schema_editor.execute(previous.POSTGRESQL_CREATE, None)


def copies_put_right(apps, schema_editor):
    # SQLite spells IS DISTINCT FROM as IS NOT.
    sql = COPY if schema_editor.connection.vendor == "postgresql" else COPY.replace("IS DISTINCT FROM", "IS NOT")
    schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_drop_user_full_name_index"),
        ("talent", "0008_profile_account_copy"),
    ]

    operations = [
        migrations.RunPython(triggers_drop, postgresql_triggers_create, elidable=False),
        migrations.RunPython(copies_put_right, migrations.RunPython.noop, elidable=False),
    ]
