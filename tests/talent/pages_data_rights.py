"""Permission-matrix rows for the data_rights pages (see tests/test_permissions.py)."""

from tests.permissions import EVERYONE, Page

CLINICIANS_ONLY = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}

PAGES: list = [
    Page("data_export", CLINICIANS_ONLY),
    Page("account_delete", CLINICIANS_ONLY),
    # Posting without ticking the confirmation box shows the page again with an error and deletes nothing.
    Page("account_delete", CLINICIANS_ONLY, method="post"),
    Page("account_deleted", EVERYONE),
]
