"""Permission-matrix rows for licence plans (see tests/test_permissions.py): only clinicians keep one, always their
own (no id in the address). The pool pages that show licence flags are rows of pages_pools.py."""

from accounts.permissions import Permission
from tests.permissions import API, Page

PLAN = Permission.KEEP_LICENCE_PLAN

PAGES: list = [
    Page("talent:edit_licence_plan", permission=PLAN),
    Page("talent_api:edit_my_licence_plan", API, permission=PLAN),
    # Sending nothing: clinicians are told the choice is missing; nothing is written.
    Page(
        "talent_api:edit_my_licence_plan",
        {**API, "clinician": 400, "other_clinician": 400},
        permission=PLAN,
        method="put",
    ),
]
