"""Permission-matrix rows for the data_rights pages (see tests/test_permissions.py)."""

from accounts.permissions import Permission
from tests.permissions import EVERYONE, Page

PAGES: list = [
    Page("talent:download_my_data", permission=Permission.EXPORT_OWN_DATA),
    Page("talent:delete_account", permission=Permission.DELETE_OWN_ACCOUNT),
    # Posting without ticking the confirmation box shows the page again with an error and deletes nothing.
    Page("talent:delete_account", permission=Permission.DELETE_OWN_ACCOUNT, method="post"),
    Page("talent:show_account_deleted", EVERYONE),
]
