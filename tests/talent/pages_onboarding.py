"""Permission-matrix rows for onboarding and the profile pages (see tests/test_permissions.py).

The clinicians in the matrix already have a profile, so the onboarding-only pages (start, check your answers)
redirect them (302) to "Your profile", while the question pages open (200) to change their answers.
"""

from tests.permissions import Page

CLINICIANS_ONLY = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}
CLINICIANS_WITH_A_PROFILE_REDIRECTED = {"anonymous": 302, "clinician": 302, "other_clinician": 302, "*": 403}

PAGES: list = [
    Page("onboarding_start", CLINICIANS_WITH_A_PROFILE_REDIRECTED),
    Page("onboarding_profession", CLINICIANS_ONLY),
    Page("onboarding_registration", CLINICIANS_ONLY),
    Page("onboarding_career", CLINICIANS_ONLY),
    Page("onboarding_employer", CLINICIANS_ONLY),
    Page("onboarding_training_body", CLINICIANS_ONLY),
    Page("onboarding_consents", CLINICIANS_ONLY),
    Page("onboarding_check", CLINICIANS_WITH_A_PROFILE_REDIRECTED),
    Page("onboarding_check", CLINICIANS_WITH_A_PROFILE_REDIRECTED, method="post"),
    Page("profile_summary", CLINICIANS_ONLY),
]
