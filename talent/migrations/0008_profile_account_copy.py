# A clinician's name and active flag, copied from their account onto their profile and kept in step by triggers, so
# staff lists in name order read one table (docs/adr/0007, ClinicianProfile.full_name). Migration 0009 drops the
# triggers: the services that change an account write the copy since.
#
# The triggers are the only writers of the two columns: a profile's own insert or update of them is overwritten from
# the account, and an account's change of name or active flag is copied to its profile in the same statement.
# PostgreSQL's are made here. SQLite's were made after every `migrate` and dropped before the next (by code removed
# with them): Django rebuilds SQLite tables to change their columns, which a trigger naming the other
# table would stop.
#
# Not atomic, so a national database stays usable while it runs (about two minutes for a million profiles): the
# columns and triggers come first, each in a moment; then the copy, a batch of profiles per transaction; then the
# indexes, built without blocking writes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models, transaction
from django.db.migrations.operations import AddIndex

POSTGRESQL_CREATE = """
-- FOR SHARE: an account being changed by a transaction not yet committed is waited for, and one read here cannot
-- be changed until this profile is committed, so the two cannot pass each other with the old values.
-- SET search_path: a restore from pg_dump runs with an empty one.
CREATE FUNCTION talent_profile_copy_account() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    SELECT u.full_name, u.is_active INTO NEW.full_name, NEW.account_active
    FROM accounts_user u WHERE u.id = NEW.user_id FOR SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Clinician profile % names account %, which does not exist.', NEW.id, NEW.user_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER profile_copy_account
BEFORE INSERT OR UPDATE OF user_id, full_name, account_active ON talent_clinicianprofile
FOR EACH ROW EXECUTE FUNCTION talent_profile_copy_account();

CREATE FUNCTION talent_account_copy_to_profile() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT
AS $$
BEGIN
    UPDATE talent_clinicianprofile SET full_name = NEW.full_name, account_active = NEW.is_active
    WHERE user_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER account_copy_to_profile
AFTER UPDATE OF full_name, is_active ON accounts_user
FOR EACH ROW WHEN (OLD.full_name IS DISTINCT FROM NEW.full_name OR OLD.is_active IS DISTINCT FROM NEW.is_active)
EXECUTE FUNCTION talent_account_copy_to_profile();
"""

POSTGRESQL_DROP = """
DROP TRIGGER account_copy_to_profile ON accounts_user;
DROP FUNCTION talent_account_copy_to_profile();
DROP TRIGGER profile_copy_account ON talent_clinicianprofile;
DROP FUNCTION talent_profile_copy_account();
"""

COPY_BATCH = 20_000


def triggers_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_CREATE, None)  # None: no placeholders (the % are PL/pgSQL's)
    elif schema_editor.connection.vendor != "sqlite":  # SQLite's: made outside migrations
        raise NotImplementedError(f"No triggers for {schema_editor.connection.vendor}: add them to this migration.")


def triggers_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_DROP, None)


def profiles_copy(apps, schema_editor):
    """Every profile's copy, made after the triggers (an account changed meanwhile is copied by them), a batch of
    profiles per transaction so that no lock is held for long. SQLite's are made with its triggers."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    after = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM (SELECT id FROM talent_clinicianprofile WHERE %s::uuid IS NULL OR id > %s "
                "ORDER BY id LIMIT %s) AS batch ORDER BY id DESC LIMIT 1",
                [after, after, COPY_BATCH],
            )
            row = cursor.fetchone()
            if row is None:
                return
            last = row[0]
            cursor.execute(
                "UPDATE talent_clinicianprofile p SET full_name = u.full_name, account_active = u.is_active "
                "FROM accounts_user u WHERE u.id = p.user_id AND (%s::uuid IS NULL OR p.id > %s) AND p.id <= %s",
                [after, after, last],
            )
        after = last


class AddIndexOnline(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL (writes go on meanwhile); a plain CREATE INDEX elsewhere."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    atomic = False
    dependencies = [
        ("accounts", "0005_user_full_name_id_index"),
        ("talent", "0007_drop_full_background_rollup"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinicianprofile",
            name="account_active",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="clinicianprofile",
            name="full_name",
            field=models.CharField(default="", editable=False, max_length=150),
        ),
        migrations.RunPython(triggers_create, triggers_drop, elidable=False, atomic=True),
        migrations.RunPython(profiles_copy, migrations.RunPython.noop, elidable=False),
        AddIndexOnline(
            model_name="clinicianprofile",
            index=models.Index(fields=["full_name", "user"], name="profile_name_idx"),
        ),
        AddIndexOnline(
            model_name="clinicianprofile",
            index=models.Index(fields=["region", "full_name", "user"], name="profile_region_name_idx"),
        ),
        AddIndexOnline(
            model_name="clinicianprofile",
            index=models.Index(fields=["training_body", "full_name", "user"], name="profile_body_name_idx"),
        ),
        migrations.AlterModelOptions(
            name="clinicianprofile",
            options={"ordering": ["full_name", "user_id"]},
        ),
    ]
