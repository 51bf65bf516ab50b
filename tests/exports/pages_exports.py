"""Permission-matrix rows for exports (see tests/test_permissions.py). A download is its requester's alone: every
other person, whatever their role, gets 404, so whether an export exists is not told."""

from accounts.permissions import Permission
from tests.permissions import Page

PAGES: list = [
    Page("exports:list_exports", permission=Permission.EXPORT_PIPELINE),
    Page(
        "exports:download_export",
        {"anonymous": 302, "hee_staff": 200, "*": 404},
        kwargs={"export_id": "hee_staff_export.pk"},
    ),
]
