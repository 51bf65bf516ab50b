"""Permission-matrix rows for the api pages (see tests/test_permissions.py).

Anonymous callers get 401 (token authentication asks for credentials); roles that may not use an endpoint get 403;
a clinician outside the caller's scope does not exist for them (404).
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

OUTSIDE_SCOPE = {"other_tb_admin": 404, "regional_hee_staff": 404}

PAGES: list = [
    Page("talent_api:edit_my_profile", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("talent_api:list_my_interests", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("talent_api:list_my_self_assessments", API, permission=Permission.EDIT_OWN_PROFILE),
    Page("talent_api:list_my_leadership_roles", API, permission=Permission.EDIT_OWN_PROFILE),
    # An id that is nobody's leadership role: not found for every clinician (their own are in test_appointments.py).
    Page(
        "talent_api:edit_my_leadership_role",
        {**API, "*": 404},
        permission=Permission.EDIT_OWN_PROFILE,
        literal_kwargs={"experience_id": "4b0b6e54-5f5c-4c59-9d63-0c8f3f1f0a11"},
    ),
    Page("talent_api:list_clinicians", API, permission=Permission.VIEW_CLINICIAN_RECORDS),
    Page(
        "talent_api:show_clinician",
        {**API, **OUTSIDE_SCOPE},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "clinician.clinician_profile.pk"},
    ),
    Page(
        "talent_api:show_clinician",
        {**API, "*": 404},
        permission=Permission.VIEW_CLINICIAN_RECORDS,
        kwargs={"profile_id": "private_clinician.clinician_profile.pk"},
    ),
]
