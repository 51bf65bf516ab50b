"""`manage.py check --database default`: every profile's copy of its account's name and active flag agrees with the
account (docs/adr/0007). The services that change either write the copy; this finds any writer that did not."""

from django.core.checks import Tags, Warning, register
from django.db import connections
from django.db.models import F

from talent.models import ClinicianProfile

EXAMPLES = 5


def profiles_disagreeing_with_their_account(using: str = "default"):
    return ClinicianProfile.objects.using(using).exclude(
        full_name=F("user__full_name"), account_active=F("user__is_active")
    )


def _copy_columns_exist(connection) -> bool:
    """False before the migrations that make the copy have run (`migrate` runs this check first)."""
    table = ClinicianProfile._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return False
        columns = {column.name for column in connection.introspection.get_table_description(cursor, table)}
    return {"full_name", "account_active"} <= columns


@register(Tags.database)
def profile_copy_agrees(app_configs=None, databases=None, **kwargs) -> list[Warning]:
    problems = []
    for alias in databases or ():
        if not _copy_columns_exist(connections[alias]):
            continue
        disagreeing = profiles_disagreeing_with_their_account(alias)
        examples = list(disagreeing.values_list("pk", flat=True)[:EXAMPLES])
        if examples:
            problems.append(
                Warning(
                    f"Clinician profiles whose copy of the account's name or active flag disagrees with the account "
                    f"(in {alias}), for example {', '.join(map(str, examples))}.",
                    hint="Something changed an account without accounts.services.account_copy_to_profile; call it "
                    "from there, and put these right with accounts_copy_to_profiles.",
                    id="ltt.W005",
                )
            )
    return problems
