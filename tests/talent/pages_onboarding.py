"""Permission-matrix rows for onboarding and the profile pages (see tests/test_permissions.py).

The clinicians in the matrix already have a profile, so the onboarding-only pages (start, check your answers)
redirect them (302) to "Your profile", while the question pages open (200) to change their answers.
"""

from accounts.permissions import Permission
from tests.permissions import Page

OWN = Permission.EDIT_OWN_PROFILE
WITH_A_PROFILE_REDIRECTED = {"*": 302}

PAGES: list = [
    Page("talent:start_onboarding", WITH_A_PROFILE_REDIRECTED, permission=OWN),
    Page("talent:answer_onboarding_profession", permission=OWN),
    Page("talent:answer_onboarding_registration", permission=OWN),
    Page("talent:answer_onboarding_career", permission=OWN),
    Page("talent:answer_onboarding_employer", permission=OWN),
    Page("talent:answer_onboarding_training_body", permission=OWN),
    Page("talent:answer_onboarding_consents", permission=OWN),
    Page("talent:check_onboarding_answers", WITH_A_PROFILE_REDIRECTED, permission=OWN),
    Page("talent:check_onboarding_answers", WITH_A_PROFILE_REDIRECTED, permission=OWN, method="post"),
    Page("talent:show_profile", permission=OWN),
]
