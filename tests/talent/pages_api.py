"""Permission-matrix rows for the api pages (see tests/test_permissions.py).

Anonymous callers get 401 (token authentication asks for credentials); roles that may not use an endpoint get 403;
a clinician outside the caller's scope does not exist for them (404).
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

OUTSIDE_SCOPE = {"other_tb_admin": 404, "regional_hee_staff": 404}

PAGES: list = [
    Page("api_me_profile", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("api_me_interests", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("api_me_self_assessments", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("api_clinician_list", API, permission=Permission.VIEW_CLINICIAN_RECORDS),
    Page(
        "api_clinician_detail",
        {**API, **OUTSIDE_SCOPE},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "clinician.clinician_profile.pk"},
    ),
    Page(
        "api_clinician_detail",
        {**API, "*": 404},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "private_clinician.clinician_profile.pk"},
    ),
]
