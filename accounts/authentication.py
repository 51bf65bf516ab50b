"""API token authentication: django-rest-knox's, with one query per request."""

from django.utils import timezone
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication


class ExpiringTokenAuthentication(TokenAuthentication):
    """Knox checks the presented token's hash and expiry; on every request it would also read all the person's other
    tokens to delete the expired ones, a second query per API call. Here an expired token is refused (and deleted)
    alone, and the daily `purge_expired_api_tokens` job deletes the rest."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class ExpiringTokenScheme(KnoxTokenScheme):
    """Describes the tokens in the OpenAPI schema as knox's (`Authorization: Token <token>`), under the name DRF's
    tokens had there."""

    target_class = "accounts.authentication.ExpiringTokenAuthentication"
    name = "tokenAuth"
