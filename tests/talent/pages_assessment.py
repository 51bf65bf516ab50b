"""Permission-matrix rows for the assessment pages (see tests/test_permissions.py).

Only clinicians with a profile use these pages; every other role gets 403. The results page is given an id that is
nobody's assessment, so clinicians get 404 (tests/talent/test_assessment.py covers their own and others' ids).
"""

from tests.permissions import Page

CLINICIANS_ONLY = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}
# The check page sends a clinician with no draft back to the start page.
CLINICIANS_ONLY_REDIRECTED = {"anonymous": 302, "clinician": 302, "other_clinician": 302, "*": 403}
CLINICIANS_NOT_FOUND = {"anonymous": 302, "clinician": 404, "other_clinician": 404, "*": 403}

PAGES: list = [
    Page("self_assessment_start", CLINICIANS_ONLY),
    Page("self_assessment_question", CLINICIANS_ONLY, literal_kwargs={"dimension": "leading_with_care"}),
    # Posting no answer shows the form again with an error.
    Page("self_assessment_question", CLINICIANS_ONLY, method="post", literal_kwargs={"dimension": "leading_with_care"}),
    Page("self_assessment_question", CLINICIANS_NOT_FOUND, literal_kwargs={"dimension": "not-a-dimension"}),
    Page("self_assessment_check", CLINICIANS_ONLY_REDIRECTED),
    Page("self_assessment_check", CLINICIANS_ONLY_REDIRECTED, method="post"),
    Page(
        "self_assessment_results",
        CLINICIANS_NOT_FOUND,
        literal_kwargs={"assessment_id": "00000000-0000-4000-8000-000000000000"},
    ),
]
