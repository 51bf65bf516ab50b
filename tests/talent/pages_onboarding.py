"""Permission-matrix rows for onboarding and the profile pages (see tests/test_permissions.py).

The clinicians in the matrix already have a profile, so the onboarding-only pages (start, check your answers)
redirect them (302) to "Your profile", while the question pages open (200) to change their answers.
"""

from accounts.permissions import Permission
from tests.permissions import Page

OWN = Permission.EDIT_OWN_PROFILE
WITH_A_PROFILE_REDIRECTED = {"*": 302}

PAGES: list = [
    Page("onboarding_start", WITH_A_PROFILE_REDIRECTED, permission=OWN),
    Page("onboarding_profession", permission=OWN),
    Page("onboarding_registration", permission=OWN),
    Page("onboarding_career", permission=OWN),
    Page("onboarding_employer", permission=OWN),
    Page("onboarding_training_body", permission=OWN),
    Page("onboarding_consents", permission=OWN),
    Page("onboarding_check", WITH_A_PROFILE_REDIRECTED, permission=OWN),
    Page("onboarding_check", WITH_A_PROFILE_REDIRECTED, permission=OWN, method="post"),
    Page("profile_summary", permission=OWN),
]
