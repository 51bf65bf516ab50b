"""Permission-matrix rows for the nomination pages and API (see tests/test_permissions.py).

`submitted_nomination` is `clinician`'s application decided by `training_body` (`tb_admin`); the other body's admin
and the other clinician must not learn it exists (404). Roles that may never use a page get 403.
"""

from tests.permissions import Page

CLINICIAN_PAGE = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}
ADMIN_PAGE = {"anonymous": 302, "tb_admin": 200, "other_tb_admin": 200, "*": 403}
SUBMITTED = {"nomination_id": "submitted_nomination.pk"}
PENDING = {"nomination_id": "pending_nominee_nomination.pk"}

PAGES: list = [
    Page("my_nomination_list", CLINICIAN_PAGE),
    Page(
        "my_nomination_detail",
        {"anonymous": 302, "clinician": 200, "other_clinician": 404, "*": 403},
        kwargs=SUBMITTED,
    ),
    # A post without an action is a bad request for the owner; others never learn the nomination exists.
    Page(
        "my_nomination_detail",
        {"anonymous": 302, "clinician": 400, "other_clinician": 404, "*": 403},
        method="post",
        kwargs=SUBMITTED,
    ),
    Page("nomination_apply", CLINICIAN_PAGE, kwargs={"slug": "open_opportunity.slug"}),
    # An empty application shows the form again with its error.
    Page("nomination_apply", CLINICIAN_PAGE, method="post", kwargs={"slug": "open_opportunity.slug"}),
    Page(
        "nomination_apply",
        {"anonymous": 302, "clinician": 404, "other_clinician": 404, "*": 403},
        kwargs={"slug": "draft_opportunity.slug"},
    ),
    Page("nomination_queue", ADMIN_PAGE),
    Page("nomination_create", ADMIN_PAGE),
    Page("nomination_create", ADMIN_PAGE, method="post"),
    Page(
        "nomination_review",
        {"anonymous": 302, "tb_admin": 200, "other_tb_admin": 404, "*": 403},
        kwargs=SUBMITTED,
    ),
    Page(
        "nomination_review",
        {"anonymous": 302, "tb_admin": 400, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=SUBMITTED,
    ),
    # API: anonymous callers 401, roles without nominations 403, nominations outside scope 404.
    Page(
        "api_nomination_list",
        {"anonymous": 401, "clinician": 200, "other_clinician": 200, "tb_admin": 200, "other_tb_admin": 200, "*": 403},
    ),
    Page(
        "api_nomination_list",
        {"anonymous": 401, "clinician": 400, "other_clinician": 400, "tb_admin": 400, "other_tb_admin": 400, "*": 403},
        method="post",
    ),
    Page(
        "api_nomination_detail",
        {"anonymous": 401, "clinician": 200, "tb_admin": 200, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        kwargs=SUBMITTED,
    ),
    Page(
        "api_nomination_approve",
        {"anonymous": 401, "tb_admin": 200, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=SUBMITTED,
    ),
    # Without a reason a rejection is refused (400), but only for someone who may reject at all.
    Page(
        "api_nomination_reject",
        {"anonymous": 401, "tb_admin": 400, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=SUBMITTED,
    ),
    Page(
        "api_nomination_withdraw",
        {"anonymous": 401, "clinician": 200, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=SUBMITTED,
    ),
    Page(
        "api_nomination_accept",
        {"anonymous": 401, "clinician": 200, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=PENDING,
    ),
    Page(
        "api_nomination_decline",
        {"anonymous": 401, "clinician": 200, "other_clinician": 404, "other_tb_admin": 404, "*": 403},
        method="post",
        kwargs=PENDING,
    ),
]
