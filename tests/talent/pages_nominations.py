"""Permission-matrix rows for the nomination pages and API (see tests/test_permissions.py).

`submitted_nomination` is `clinician`'s application decided by `training_body` (`tb_admin`); the other body's admin
and the other clinician must not learn it exists (404). Roles that may never use a page get 403, and so does a party
to a nomination asking for what only the other party may do (the nominee approving, the admin accepting).
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

SUBMITTED = {"nomination_id": "submitted_nomination.pk"}
PENDING = {"nomination_id": "pending_nominee_nomination.pk"}
# The API serves both parties: clinicians their own nominations, admins those their bodies decide.
EITHER_PARTY = (Permission.FOLLOW_OWN_NOMINATIONS, Permission.DECIDE_NOMINATION)
NOT_THEIRS = {"other_clinician": 404, "other_tb_admin": 404}

PAGES: list = [
    Page("talent:list_my_nominations", permission=Permission.FOLLOW_OWN_NOMINATIONS),
    Page(
        "talent:show_my_nomination",
        {"other_clinician": 404},
        permission=Permission.FOLLOW_OWN_NOMINATIONS,
        kwargs=SUBMITTED,
    ),
    # A post without an action is a bad request for the owner; others never learn the nomination exists.
    Page(
        "talent:show_my_nomination",
        {"clinician": 400, "other_clinician": 404},
        permission=Permission.FOLLOW_OWN_NOMINATIONS,
        method="post",
        kwargs=SUBMITTED,
    ),
    Page(
        "talent:apply_for_opportunity",
        permission=Permission.APPLY_FOR_OPPORTUNITY,
        kwargs={"slug": "open_opportunity.slug"},
    ),
    # An empty application shows the form again with its error.
    Page(
        "talent:apply_for_opportunity",
        permission=Permission.APPLY_FOR_OPPORTUNITY,
        method="post",
        kwargs={"slug": "open_opportunity.slug"},
    ),
    Page(
        "talent:apply_for_opportunity",
        {"*": 404},
        permission=Permission.APPLY_FOR_OPPORTUNITY,
        kwargs={"slug": "draft_opportunity.slug"},
    ),
    Page("talent:list_nominations", permission=Permission.DECIDE_NOMINATION),
    Page("talent:nominate_clinician", permission=Permission.NOMINATE_CLINICIAN),
    Page("talent:nominate_clinician", permission=Permission.NOMINATE_CLINICIAN, method="post"),
    Page(
        "talent:review_nomination", {"other_tb_admin": 404}, permission=Permission.DECIDE_NOMINATION, kwargs=SUBMITTED
    ),
    Page(
        "talent:review_nomination",
        {"tb_admin": 400, "other_tb_admin": 404},
        permission=Permission.DECIDE_NOMINATION,
        method="post",
        kwargs=SUBMITTED,
    ),
    # API: anonymous callers 401, roles without nominations 403, nominations outside scope 404.
    Page("talent_api:list_nominations", API, permission=EITHER_PARTY),
    Page("talent_api:list_nominations", {**API, "*": 400}, permission=EITHER_PARTY, method="post"),
    Page("talent_api:show_nomination", {**API, **NOT_THEIRS}, permission=EITHER_PARTY, kwargs=SUBMITTED),
    Page(
        "talent_api:approve_nomination",
        {**API, **NOT_THEIRS, "clinician": 403},
        permission=EITHER_PARTY,
        method="post",
        kwargs=SUBMITTED,
    ),
    # Without a reason a rejection is refused (400), but only for someone who may reject at all.
    Page(
        "talent_api:reject_nomination",
        {**API, **NOT_THEIRS, "clinician": 403, "tb_admin": 400},
        permission=EITHER_PARTY,
        method="post",
        kwargs=SUBMITTED,
    ),
    Page(
        "talent_api:withdraw_nomination",
        {**API, **NOT_THEIRS, "tb_admin": 403},
        permission=EITHER_PARTY,
        method="post",
        kwargs=SUBMITTED,
    ),
    Page(
        "talent_api:accept_nomination",
        {**API, **NOT_THEIRS, "tb_admin": 403},
        permission=EITHER_PARTY,
        method="post",
        kwargs=PENDING,
    ),
    Page(
        "talent_api:decline_nomination",
        {**API, **NOT_THEIRS, "tb_admin": 403},
        permission=EITHER_PARTY,
        method="post",
        kwargs=PENDING,
    ),
    # Only the deciding body's admins record what became of a nomination; an empty answer is refused (400) for them.
    Page(
        "talent_api:record_nomination_outcome",
        {**API, **NOT_THEIRS, "clinician": 403, "tb_admin": 400},
        permission=EITHER_PARTY,
        method="post",
        kwargs=SUBMITTED,
    ),
]
