from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = "Talent"

    def ready(self) -> None:
        from talent.account_copy import sqlite_triggers_create, sqlite_triggers_drop

        # SQLite's triggers copying the account onto the profile are kept out of the way of migrations (see there).
        pre_migrate.connect(sqlite_triggers_drop, sender=self, dispatch_uid="talent_sqlite_triggers_drop")
        post_migrate.connect(sqlite_triggers_create, sender=self, dispatch_uid="talent_sqlite_triggers_create")
