"""The account's name and active flag copied onto the clinician's profile (docs/adr/0007): SQLite's triggers.

PostgreSQL's are created by talent migration 0008 and stay. SQLite's are dropped before every `migrate` and created
again after it: Django changes most SQLite columns by rebuilding the table (create, copy, drop, rename), and with a
trigger on either table naming the other, that rename fails. Both are idempotent, so `flush` and a `migrate` with
nothing to do leave them as they were.
"""

from django.db import connections

PROFILE_TABLE = "talent_clinicianprofile"
ACCOUNT_NAME = "(SELECT full_name FROM accounts_user WHERE accounts_user.id = NEW.user_id)"
ACCOUNT_ACTIVE = "(SELECT is_active FROM accounts_user WHERE accounts_user.id = NEW.user_id)"
NO_ACCOUNT = (
    "SELECT RAISE(ABORT, 'A clinician profile names an account which does not exist.') "
    "WHERE NOT EXISTS (SELECT 1 FROM accounts_user WHERE accounts_user.id = NEW.user_id);"
)
PROFILE_COPY = (
    f"UPDATE talent_clinicianprofile SET full_name = {ACCOUNT_NAME}, account_active = {ACCOUNT_ACTIVE} "  # noqa: S608 - constants
    "WHERE id = NEW.id;"
)

# SQLite has no BEFORE trigger that can change the row, so these write the copy just after. Each update's WHEN
# stops it firing again on its own write when recursive triggers are on.
SQLITE_TRIGGERS = {
    "profile_copy_account_insert": f"AFTER INSERT ON talent_clinicianprofile BEGIN {NO_ACCOUNT} {PROFILE_COPY} END",
    "profile_copy_account_update": (
        "AFTER UPDATE OF user_id, full_name, account_active ON talent_clinicianprofile "
        f"WHEN NEW.full_name IS NOT {ACCOUNT_NAME} OR NEW.account_active IS NOT {ACCOUNT_ACTIVE} "
        f"BEGIN {NO_ACCOUNT} {PROFILE_COPY} END"
    ),
    "account_copy_to_profile": (
        "AFTER UPDATE OF full_name, is_active ON accounts_user "
        "WHEN OLD.full_name IS NOT NEW.full_name OR OLD.is_active IS NOT NEW.is_active "
        "BEGIN UPDATE talent_clinicianprofile SET full_name = NEW.full_name, account_active = NEW.is_active "
        "WHERE user_id = NEW.id; END"
    ),
}

# Every profile's copy made again: whatever changed while there were no triggers is caught up.
SQLITE_COPY_ALL = (
    "UPDATE talent_clinicianprofile SET "
    "full_name = (SELECT full_name FROM accounts_user WHERE accounts_user.id = talent_clinicianprofile.user_id), "
    "account_active = (SELECT is_active FROM accounts_user WHERE accounts_user.id = talent_clinicianprofile.user_id)"
)


def sqlite_triggers_drop(*, using: str = "default", **kwargs) -> None:
    """Before `migrate` (pre_migrate)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in SQLITE_TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def sqlite_triggers_create(*, using: str = "default", **kwargs) -> None:
    """After `migrate` (post_migrate), once the profile has its copy's columns (migration 0008)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        if PROFILE_TABLE not in connection.introspection.table_names(cursor):
            return
        columns = {column.name for column in connection.introspection.get_table_description(cursor, PROFILE_TABLE)}
        if not {"full_name", "account_active"} <= columns:
            return
        for name, definition in SQLITE_TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {definition}")
        cursor.execute(SQLITE_COPY_ALL)
