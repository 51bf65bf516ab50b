# Every change of a pipeline fact logs the clinician in `pipeline_change` in the transaction that makes it, whatever
# writes it (the services, the admin site, the seeders, cascades of a deletion, a bulk import): the next refresh
# folds in those clinicians only. PostgreSQL only: on SQLite (`make run`) every refresh is a full rebuild.
#
# The placements are unlogged (no write-ahead log, not copied to replicas): only the refresh reads them, and a crash
# that empties them makes the next refresh a full rebuild (`pipeline.services._kind`).
#
# Statement-level triggers with transition tables on the fact tables (one insert per statement, however many rows
# a bulk write touches); row-level ones on profiles and accounts, which the refresh itself and sign-ins update: the
# refresh marks its own transaction (`pipeline.refreshing`) and only a change of `is_active` concerns an account.

from django.db import migrations

# Tables whose rows belong to a profile, and the column naming it.
FACT_TABLES = {
    "talent_interestrecord": "profile_id",
    "talent_selfassessment": "profile_id",
    "talent_leadershipexperience": "profile_id",
    "talent_qualification": "profile_id",
    "talent_equalitymonitoring": "profile_id",
    "talent_nomination": "profile_id",
    "talent_consentevent": "profile_id",
    "regulators_revalidationrecord": "profile_id",
    "talent_clinicianprofile": "id",
}
OPERATIONS = {"insert": ["new_rows"], "update": ["old_rows", "new_rows"], "delete": ["old_rows"]}


def _statement_trigger(table: str, column: str, operation: str) -> str:
    function = f"pipeline_changed_{table}_{operation}"
    rows = " UNION ".join(f"SELECT {column} FROM {name}" for name in OPERATIONS[operation])  # noqa: S608 - constants
    referencing = " ".join(
        f"{'OLD' if name == 'old_rows' else 'NEW'} TABLE AS {name}" for name in OPERATIONS[operation]
    )
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pipeline_change (profile_id, source)
    SELECT DISTINCT c.id, TG_TABLE_NAME FROM ({rows}) c (id) WHERE c.id IS NOT NULL;
    RETURN NULL;
END $$;
CREATE TRIGGER pipeline_changed_{operation} AFTER {operation.upper()} ON {table}
    REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""  # noqa: S608 - constant names


def _create_sql() -> str:
    sql = []
    for table, column in FACT_TABLES.items():
        operations = ["insert", "delete"] if table == "talent_clinicianprofile" else list(OPERATIONS)
        sql += [_statement_trigger(table, column, operation) for operation in operations]
    sql.append("ALTER TABLE pipeline_placement SET UNLOGGED; ALTER TABLE pipeline_placementevent SET UNLOGGED;")
    sql.append("""
CREATE OR REPLACE FUNCTION pipeline_changed_profile_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pipeline_change (profile_id, source) VALUES (NEW.id, TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TRIGGER pipeline_changed_update AFTER UPDATE ON talent_clinicianprofile FOR EACH ROW
    WHEN (current_setting('pipeline.refreshing', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pipeline_changed_profile_row();

CREATE OR REPLACE FUNCTION pipeline_changed_account_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO pipeline_change (profile_id, source)
    SELECT p.id, TG_TABLE_NAME FROM talent_clinicianprofile p WHERE p.user_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER pipeline_changed_active AFTER UPDATE ON accounts_user FOR EACH ROW
    WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION pipeline_changed_account_row();
""")
    return "\n".join(sql)


def _drop_sql() -> str:
    sql = []
    for table in FACT_TABLES:
        operations = ["insert", "delete"] if table == "talent_clinicianprofile" else list(OPERATIONS)
        for operation in operations:
            sql.append(f"DROP TRIGGER IF EXISTS pipeline_changed_{operation} ON {table};")
            sql.append(f"DROP FUNCTION IF EXISTS pipeline_changed_{table}_{operation}();")
    sql += [
        "DROP TRIGGER IF EXISTS pipeline_changed_update ON talent_clinicianprofile;",
        "DROP FUNCTION IF EXISTS pipeline_changed_profile_row();",
        "DROP TRIGGER IF EXISTS pipeline_changed_active ON accounts_user;",
        "DROP FUNCTION IF EXISTS pipeline_changed_account_row();",
        "ALTER TABLE pipeline_placement SET LOGGED; ALTER TABLE pipeline_placementevent SET LOGGED;",
    ]
    return "\n".join(sql)


def _run(schema_editor, sql: str) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(sql)


def triggers_create(apps, schema_editor):
    _run(schema_editor, _create_sql())


def triggers_drop(apps, schema_editor):
    _run(schema_editor, _drop_sql())


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0005_placements_and_change_log"),
        ("talent", "0014_nomination_outcome_and_appointed_stage"),
        ("regulators", "0003_licence_guidance_and_revalidation"),
        ("accounts", "0010_api_token_sessions"),
    ]

    operations = [migrations.RunPython(triggers_create, triggers_drop)]
