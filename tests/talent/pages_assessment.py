"""Permission-matrix rows for the assessment pages (see tests/test_permissions.py).

Only clinicians with a profile use these pages; every other role gets 403. The results page is given an id that is
nobody's assessment, so clinicians get 404 (tests/talent/test_assessment.py covers their own and others' ids).
"""

from accounts.permissions import Permission
from tests.permissions import Page

OWN = Permission.EDIT_OWN_PROFILE
# The check page sends a clinician with no draft back to the start page.
REDIRECTED = {"*": 302}
NOT_FOUND = {"*": 404}

PAGES: list = [
    Page("talent:start_self_assessment", permission=OWN),
    Page("talent:answer_self_assessment_question", permission=OWN, literal_kwargs={"dimension": "leading_with_care"}),
    # Posting no answer shows the form again with an error.
    Page(
        "talent:answer_self_assessment_question",
        permission=OWN,
        method="post",
        literal_kwargs={"dimension": "leading_with_care"},
    ),
    Page(
        "talent:answer_self_assessment_question",
        NOT_FOUND,
        permission=OWN,
        literal_kwargs={"dimension": "not-a-dimension"},
    ),
    Page("talent:check_self_assessment_answers", REDIRECTED, permission=OWN),
    Page("talent:check_self_assessment_answers", REDIRECTED, permission=OWN, method="post"),
    Page(
        "talent:show_self_assessment_results",
        NOT_FOUND,
        permission=OWN,
        literal_kwargs={"assessment_id": "00000000-0000-4000-8000-000000000000"},
    ),
]
