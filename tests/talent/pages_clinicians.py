"""Permission-matrix rows for the clinicians pages (see tests/test_permissions.py)."""

from accounts.permissions import Permission
from tests.permissions import Page

PAGES: list = [
    Page("talent:list_clinicians", permission=Permission.VIEW_CLINICIAN_RECORDS),
    # `clinician` consents to share with `training_body` and HEE; the other body's admin must not learn they exist.
    Page(
        "talent:show_clinician",
        {"other_tb_admin": 404, "regional_hee_staff": 404},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "clinician.clinician_profile.pk"},
    ),
    # A clinician who shares with nobody exists, but for every role it is as if they did not.
    Page(
        "talent:show_clinician",
        {"*": 404},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "private_clinician.clinician_profile.pk"},
    ),
]
