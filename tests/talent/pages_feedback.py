"""Permission-matrix rows for the 360 feedback pages and API (see tests/test_permissions.py).

The rounds are `clinician`'s: the other clinician must not learn they exist (404). The report shared with
`training_body` opens for its admin only: another body's admin gets 404, HEE staff and everyone else 403. A rater's
link needs no account: a valid one opens the form for anyone, a changed one is a 404 page for anyone.
"""

from accounts.permissions import Permission
from tests.permissions import API, EVERYONE, Page

OPEN = {"round_id": "feedback_round.pk"}
CLOSED = {"round_id": "closed_feedback_round.pk"}
NOT_THEIRS = {"other_clinician": 404}

PAGES: list = [
    Page("talent:list_feedback_rounds", permission=Permission.REQUEST_FEEDBACK),
    Page("talent:start_feedback_round", permission=Permission.REQUEST_FEEDBACK),
    # An empty request shows the form again with its errors.
    Page("talent:start_feedback_round", permission=Permission.REQUEST_FEEDBACK, method="post"),
    Page("talent:show_feedback_round", NOT_THEIRS, permission=Permission.REQUEST_FEEDBACK, kwargs=OPEN),
    Page(
        "talent:close_feedback_round",
        {**NOT_THEIRS, "clinician": 302},
        permission=Permission.REQUEST_FEEDBACK,
        method="post",
        kwargs=OPEN,
    ),
    Page("talent:show_feedback_report", NOT_THEIRS, permission=Permission.REQUEST_FEEDBACK, kwargs=CLOSED),
    Page(
        "talent:share_feedback_report",
        {**NOT_THEIRS, "clinician": 302},
        permission=Permission.REQUEST_FEEDBACK,
        method="post",
        kwargs=CLOSED,
    ),
    Page(
        "talent:show_shared_feedback_report",
        {"other_tb_admin": 404},
        permission=Permission.VIEW_SHARED_FEEDBACK,
        kwargs=CLOSED,
    ),
    Page("talent:rate_colleague", EVERYONE, kwargs={"token": "feedback_rater_link.token"}),
    Page("talent:rate_colleague", {"anonymous": 404, "*": 404}, literal_kwargs={"token": "not-a-real-link"}),
    Page("talent_api:list_my_feedback_rounds", API, permission=Permission.REQUEST_FEEDBACK),
    Page(
        "talent_api:list_my_feedback_rounds", {**API, "*": 400}, permission=Permission.REQUEST_FEEDBACK, method="post"
    ),
    Page(
        "talent_api:show_my_feedback_round", {**API, **NOT_THEIRS}, permission=Permission.REQUEST_FEEDBACK, kwargs=OPEN
    ),
    Page(
        "talent_api:close_my_feedback_round",
        {**API, **NOT_THEIRS},
        permission=Permission.REQUEST_FEEDBACK,
        method="post",
        kwargs=OPEN,
    ),
]
