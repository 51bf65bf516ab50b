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
    Page("interest_timeline", permission=OWN),
    Page("interest_record", permission=OWN),
    Page("experience_list", permission=OWN),
    Page("experience_add", permission=OWN),
    Page("experience_edit", NOT_YOURS, permission=OWN, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("experience_delete", NOT_YOURS, permission=OWN, literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("experience_delete", NOT_YOURS, permission=OWN, method="post", literal_kwargs={"experience_id": UNKNOWN_ID}),
    Page("qualification_list", permission=OWN),
    Page("qualification_add", permission=OWN),
    Page("qualification_edit", NOT_YOURS, permission=OWN, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page("qualification_delete", NOT_YOURS, permission=OWN, literal_kwargs={"qualification_id": UNKNOWN_ID}),
    Page(
        "qualification_delete",
        NOT_YOURS,
        permission=OWN,
        method="post",
        literal_kwargs={"qualification_id": UNKNOWN_ID},
    ),
    Page("equality_monitoring", permission=OWN),
]
