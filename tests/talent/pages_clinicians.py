"""Permission-matrix rows for the clinicians pages (see tests/test_permissions.py)."""

from tests.permissions import Page

STAFF_LIST = {
    "anonymous": 302,
    "tb_admin": 200,
    "other_tb_admin": 200,
    "hee_staff": 200,
    "regional_hee_staff": 200,
    "*": 403,
}

PAGES: list = [
    Page("clinician_list", STAFF_LIST),
    # `clinician` consents to share with `training_body` and HEE; the other body's admin must not learn they exist.
    Page(
        "clinician_detail",
        {
            "anonymous": 302,
            "tb_admin": 200,
            "other_tb_admin": 404,
            "hee_staff": 200,
            "regional_hee_staff": 404,
            "*": 403,
        },
        kwargs={"profile_id": "clinician.clinician_profile.pk"},
    ),
    # A clinician who shares with nobody exists, but for every role it is as if they did not.
    Page(
        "clinician_detail",
        {
            "anonymous": 302,
            "tb_admin": 404,
            "other_tb_admin": 404,
            "hee_staff": 404,
            "regional_hee_staff": 404,
            "*": 403,
        },
        kwargs={"profile_id": "private_clinician.clinician_profile.pk"},
    ),
]
