from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and organisations"

    def ready(self) -> None:
        import accounts.mfa
        import accounts.signals  # noqa: F401 - records sign-ins, failures and lock-outs
        import config.checks  # noqa: F401 - registers the deployment checks
        from accounts.services import api_tokens_revoke_for_session, content_editors_group_sync
        from accounts.sessions import session_used_now

        # Permissions are created per app after its migrations, so the group is brought up to date after each app
        # (idempotent: a few queries per app).
        post_migrate.connect(
            lambda **kwargs: content_editors_group_sync(), weak=False, dispatch_uid="content_editors_group_sync"
        )

        # Signing out (the button, the admin site, or an idle session ended) revokes the API tokens made in that
        # session. The signal comes before the session is emptied, so its key is still known.
        def revoke_tokens_of_session(request, user, **kwargs) -> None:
            if user is not None and request is not None:
                api_tokens_revoke_for_session(user=user, session_key=request.session.session_key)

        user_logged_out.connect(revoke_tokens_of_session, weak=False, dispatch_uid="api_tokens_revoke_for_session")

        # The idle timeout counts from sign-in.
        def note_sign_in_as_use(request, **kwargs) -> None:
            if request is not None and hasattr(request, "session"):
                session_used_now(request)

        user_logged_in.connect(note_sign_in_as_use, weak=False, dispatch_uid="session_used_now")
