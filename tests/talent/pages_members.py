"""Permission-matrix rows for a training body's members (see tests/test_permissions.py): only the body's admins see
who waits for it, confirm them and remove them; another body's admin is told the body does not exist."""

from accounts.permissions import Permission
from tests.permissions import Page

BODY = {"slug": "training_body.slug"}
WAITING = {**BODY, "profile_id": "waiting_clinician.clinician_profile.pk"}
OTHER_BODY = {"other_tb_admin": 404}

PAGES: list = [
    Page("talent:list_membership_requests", OTHER_BODY, permission=Permission.MANAGE_MEMBERS, kwargs=BODY),
    # Nothing ticked: the page again with an error.
    Page(
        "talent:list_membership_requests",
        {**OTHER_BODY, "tb_admin": 400},
        method="post",
        permission=Permission.MANAGE_MEMBERS,
        kwargs=BODY,
    ),
    Page("talent:remove_member", OTHER_BODY, permission=Permission.MANAGE_MEMBERS, kwargs=WAITING),
    Page(
        "talent:remove_member",
        {**OTHER_BODY, "tb_admin": 302},
        method="post",
        permission=Permission.MANAGE_MEMBERS,
        kwargs=WAITING,
    ),
]
