"""Permission-matrix rows for the mentoring pages and API (see tests/test_permissions.py).

Mentoring is for clinicians only. `mentoring_request` is `clinician` asking `mentor` (a third clinician); it does
not exist for `other_clinician` (404). Only the mentor accepts or declines (the mentee asking to is 403); ending
a request not yet accepted is a conflict (409). Empty posts show the form again (200) or are refused (400).
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

MENTORING = Permission.USE_MENTORING
REQUEST = {"request_id": "mentoring_request.pk"}
NOT_THEIRS = {"other_clinician": 404}

PAGES: list = [
    Page("talent:show_my_mentoring", permission=MENTORING),
    Page("talent:edit_mentoring_offer", permission=MENTORING),
    Page("talent:edit_mentoring_offer", permission=MENTORING, method="post"),
    Page("talent:find_mentor", permission=MENTORING),
    Page("talent:ask_mentor", permission=MENTORING, kwargs={"offer_id": "mentoring_offer.pk"}),
    Page("talent:ask_mentor", permission=MENTORING, method="post", kwargs={"offer_id": "mentoring_offer.pk"}),
    Page("talent:show_mentoring_request", NOT_THEIRS, permission=MENTORING, kwargs=REQUEST),
    Page(
        "talent:show_mentoring_request",
        {"clinician": 400, **NOT_THEIRS},
        permission=MENTORING,
        method="post",
        kwargs=REQUEST,
    ),
    Page("talent_api:list_mentoring_offers", API, permission=MENTORING),
    Page("talent_api:list_mentoring_offers", {**API, "*": 400}, permission=MENTORING, method="post"),
    Page("talent_api:list_mentoring_requests", API, permission=MENTORING),
    Page("talent_api:list_mentoring_requests", {**API, "*": 400}, permission=MENTORING, method="post"),
    Page("talent_api:show_mentoring_request", {**API, **NOT_THEIRS}, permission=MENTORING, kwargs=REQUEST),
    Page(
        "talent_api:accept_mentoring_request",
        {**API, **NOT_THEIRS, "clinician": 403},
        permission=MENTORING,
        method="post",
        kwargs=REQUEST,
    ),
    Page(
        "talent_api:decline_mentoring_request",
        {**API, **NOT_THEIRS, "clinician": 403},
        permission=MENTORING,
        method="post",
        kwargs=REQUEST,
    ),
    Page(
        "talent_api:withdraw_mentoring_request",
        {**API, **NOT_THEIRS},
        permission=MENTORING,
        method="post",
        kwargs=REQUEST,
    ),
    Page(
        "talent_api:end_mentoring",
        {**API, **NOT_THEIRS, "clinician": 409},
        permission=MENTORING,
        method="post",
        kwargs=REQUEST,
    ),
]
