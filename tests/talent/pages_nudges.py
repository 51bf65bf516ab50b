"""Permission-matrix rows for nudges (see tests/test_permissions.py): only the admins of the nudge's training body
see it; another body's admin is told it does not exist."""

from accounts.permissions import Permission
from tests.permissions import API, Page

OTHER_BODY = {"other_tb_admin": 404}

PAGES: list = [
    Page("talent:list_nudges", OTHER_BODY, permission=Permission.VIEW_NUDGES, kwargs={"slug": "training_body.slug"}),
    Page("talent:show_nudge", OTHER_BODY, permission=Permission.VIEW_NUDGES, kwargs={"nudge_id": "nudge.pk"}),
    Page("talent_api:list_nudges", API, permission=Permission.VIEW_NUDGES),
    Page(
        "talent_api:show_nudge",
        {**API, **OTHER_BODY},
        permission=Permission.VIEW_NUDGES,
        kwargs={"nudge_id": "nudge.pk"},
    ),
]
