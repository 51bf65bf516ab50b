from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        import accounts.mfa
        import accounts.signals  # noqa: F401 - records sign-ins, failures and lock-outs
        import config.checks  # noqa: F401 - registers the deployment checks
        from accounts.services import content_editors_group_sync

        # Permissions are created per app after its migrations, so the group is brought up to date after each app
        # (idempotent: a few queries per app).
        post_migrate.connect(
            lambda **kwargs: content_editors_group_sync(), weak=False, dispatch_uid="content_editors_group_sync"
        )
