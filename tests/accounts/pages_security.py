"""Permission-matrix rows for API tokens and the signed-out page (see tests/test_permissions.py).

Everyone signed in manages their own tokens; a token that is not theirs does not exist for them (404). Revoking
someone else's real token, for every role, is in tests/accounts/test_api_tokens.py.
"""

from tests.permissions import EVERYONE, SIGNED_IN_ONLY, Page

NOT_A_TOKEN = {"token_key": "0123456789abcde"}

PAGES: list = [
    Page("accounts:show_signed_out", EVERYONE),
    Page("accounts:list_api_tokens", SIGNED_IN_ONLY),
    Page("accounts:revoke_api_token", {"anonymous": 302, "*": 404}, method="post", literal_kwargs=NOT_A_TOKEN),
    Page("accounts_api:list_api_tokens", {"anonymous": 401, "*": 200}),
    Page("accounts_api:revoke_api_token", {"anonymous": 401, "*": 404}, method="delete", literal_kwargs=NOT_A_TOKEN),
]
