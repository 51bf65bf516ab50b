"""Permission-matrix rows for the api pages (see tests/test_permissions.py).

Anonymous callers get 401 (token authentication asks for credentials); roles that may not use an endpoint get 403;
a clinician outside the caller's scope does not exist for them (404).
"""

from tests.permissions import Page

CLINICIANS_ONLY = {"anonymous": 401, "clinician": 200, "other_clinician": 200, "*": 403}

PAGES: list = [
    Page("api_me_profile", CLINICIANS_ONLY),
    Page("api_me_interests", CLINICIANS_ONLY),
    Page("api_me_self_assessments", CLINICIANS_ONLY),
    Page(
        "api_clinician_list",
        {
            "anonymous": 401,
            "tb_admin": 200,
            "other_tb_admin": 200,
            "hee_staff": 200,
            "regional_hee_staff": 200,
            "*": 403,
        },
    ),
    Page(
        "api_clinician_detail",
        {
            "anonymous": 401,
            "tb_admin": 200,
            "other_tb_admin": 404,
            "hee_staff": 200,
            "regional_hee_staff": 404,
            "*": 403,
        },
        kwargs={"profile_id": "clinician.clinician_profile.pk"},
    ),
    Page(
        "api_clinician_detail",
        {
            "anonymous": 401,
            "tb_admin": 404,
            "other_tb_admin": 404,
            "hee_staff": 404,
            "regional_hee_staff": 404,
            "*": 403,
        },
        kwargs={"profile_id": "private_clinician.clinician_profile.pk"},
    ),
]
