"""Permission-matrix rows for the records pages (see tests/test_permissions.py).

Only clinicians with a profile use these pages. The change and delete pages are opened with an id that is not one of
the user's records, so every clinician gets 404 (the owner's own record is exercised in tests/talent/test_records.py).
"""

from tests.permissions import Page

CLINICIANS_ONLY = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}
NOT_YOURS = {"anonymous": 302, "clinician": 404, "other_clinician": 404, "*": 403}
# A random UUID: nobody's record.
UNKNOWN_ID = "4b0b6e54-5f5c-4c59-9d63-0c8f3f1f0a11"

PAGES: list = [
    Page("interest_timeline", CLINICIANS_ONLY),
    Page("interest_record", CLINICIANS_ONLY),
    Page("experience_list", CLINICIANS_ONLY),
    Page("experience_add", CLINICIANS_ONLY),
    Page("experience_edit", NOT_YOURS, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("experience_delete", NOT_YOURS, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("experience_delete", NOT_YOURS, method="post", literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("qualification_list", CLINICIANS_ONLY),
    Page("qualification_add", CLINICIANS_ONLY),
    Page("qualification_edit", NOT_YOURS, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page("qualification_delete", NOT_YOURS, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page("qualification_delete", NOT_YOURS, method="post", literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page("equality_monitoring", CLINICIANS_ONLY),
]
