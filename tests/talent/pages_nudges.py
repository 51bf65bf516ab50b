"""Permission-matrix rows for nudges (see tests/test_permissions.py): only the admins of the nudge's training body
see it; another body's admin is told it does not exist."""

from tests.permissions import Page

BODY_ADMINS_ONLY = {"anonymous": 302, "tb_admin": 200, "other_tb_admin": 404, "*": 403}

PAGES: list = [
    Page("nudge_list", BODY_ADMINS_ONLY, kwargs={"slug": "training_body.slug"}),
    Page("nudge_detail", BODY_ADMINS_ONLY, kwargs={"nudge_id": "nudge.pk"}),
    Page("api_nudge_list", {"anonymous": 401, "tb_admin": 200, "other_tb_admin": 200, "*": 403}),
    Page(
        "api_nudge_detail",
        {"anonymous": 401, "tb_admin": 200, "other_tb_admin": 404, "*": 403},
        kwargs={"nudge_id": "nudge.pk"},
    ),
]
