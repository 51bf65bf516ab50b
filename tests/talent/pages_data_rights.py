"""Permission-matrix rows for the data_rights pages (see tests/test_permissions.py)."""

from accounts.permissions import Permission
from tests.permissions import EVERYONE, Page

PAGES: list = [
    Page("data_export", permission=Permission.EXPORT_OWN_DATA),
    Page("account_delete", permission=Permission.DELETE_OWN_ACCOUNT),
    # Posting without ticking the confirmation box shows the page again with an error and deletes nothing.
    Page("account_delete", permission=Permission.DELETE_OWN_ACCOUNT, method="post"),
    Page("account_deleted", EVERYONE),
]
