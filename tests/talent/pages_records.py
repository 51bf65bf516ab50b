"""Permission-matrix rows for the records pages (see tests/test_permissions.py).

Only clinicians with a profile use these pages. The change and delete pages are opened with an id that is not one of
the user's records, so every clinician gets 404 (the owner's own record is exercised in tests/talent/test_records.py).
"""

from accounts.permissions import Permission
from tests.permissions import Page

OWN = Permission.EDIT_OWN_PROFILE
NOT_YOURS = {"*": 404}
# A random UUID: nobody's record.
UNKNOWN_ID = "4b0b6e54-5f5c-4c59-9d63-0c8f3f1f0a11"

PAGES: list = [
    Page("talent:show_interest_history", permission=OWN),
    Page("talent:record_interest", permission=OWN),
    Page("talent:correct_interest", NOT_YOURS, permission=OWN, literal_kwargs={"record_id": UNKNOWN_ID}),
    Page(
        "talent:correct_interest",
        NOT_YOURS,
        permission=OWN,
        method="post",
        literal_kwargs={"record_id": UNKNOWN_ID},
    ),
    Page("talent:list_experience", permission=OWN),
    Page("talent:add_experience", permission=OWN),
    Page("talent:edit_experience", NOT_YOURS, permission=OWN, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("talent:delete_experience", NOT_YOURS, permission=OWN, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page(
        "talent:delete_experience",
        NOT_YOURS,
        permission=OWN,
        method="post",
        literal_kwargs={"experience_id": UNKNOWN_ID},
    ),
    Page("talent:list_qualifications", permission=OWN),
    Page("talent:add_qualification", permission=OWN),
    Page("talent:edit_qualification", NOT_YOURS, permission=OWN, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page("talent:delete_qualification", NOT_YOURS, permission=OWN, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page(
        "talent:delete_qualification",
        NOT_YOURS,
        permission=OWN,
        method="post",
        literal_kwargs={"qualification_id": UNKNOWN_ID},
    ),
    Page("talent:edit_equality_monitoring", permission=OWN),
]
