"""Permission-matrix rows for the development plan pages and API (see tests/test_permissions.py).

The plan pages are the clinician's own (no id of the clinician in the address); a goal, action or review of
`clinician`'s does not exist for `other_clinician` (404). A plan `clinician` shares is read by `tb_admin` only: the
other body's admin gets 404, HEE staff never (their role may not read plans: 403). Empty posts show the form again
(200); posts about a plan the person does not have yet go back to the plan page (302) or answer 404 in the API.
"""

from accounts.permissions import Permission
from tests.permissions import API, Page

PLAN = Permission.KEEP_DEVELOPMENT_PLAN
GOAL = {"goal_id": "plan_goal.pk"}
ACTION = {"action_id": "plan_action.pk"}
NOT_THEIRS = {"other_clinician": 404}

PAGES: list = [
    Page("talent:show_my_plan", permission=PLAN),
    Page("talent:add_plan_goal", permission=PLAN),
    Page("talent:add_plan_goal", permission=PLAN, method="post"),
    Page("talent:change_plan_goal", NOT_THEIRS, permission=PLAN, kwargs=GOAL),
    Page("talent:change_plan_goal", NOT_THEIRS, permission=PLAN, method="post", kwargs=GOAL),
    Page("talent:add_plan_action", NOT_THEIRS, permission=PLAN, kwargs=GOAL),
    Page("talent:add_plan_action", NOT_THEIRS, permission=PLAN, method="post", kwargs=GOAL),
    Page("talent:change_plan_action", NOT_THEIRS, permission=PLAN, kwargs=ACTION),
    Page("talent:change_plan_action", NOT_THEIRS, permission=PLAN, method="post", kwargs=ACTION),
    Page("talent:review_my_plan", permission=PLAN),
    Page("talent:review_my_plan", {"*": 302}, permission=PLAN, method="post"),
    Page("talent:show_my_plan_review", NOT_THEIRS, permission=PLAN, kwargs={"review_id": "plan_review.pk"}),
    Page("talent:share_my_plan", permission=PLAN),
    Page("talent:share_my_plan", {"*": 302}, permission=PLAN, method="post"),
    Page(
        "talent:show_clinician_plan",
        {"other_tb_admin": 404},
        permission=Permission.VIEW_SHARED_DEVELOPMENT_PLANS,
        kwargs={"profile_id": "shared_plan.profile_id"},
    ),
    # API: anonymous callers 401, other roles 403.
    Page("talent_api:show_my_plan", API, permission=PLAN),
    Page("talent_api:show_my_plan", {**API, "*": 400}, permission=PLAN, method="patch"),
    Page("talent_api:add_my_plan_goal", {**API, "*": 400}, permission=PLAN, method="post"),
    Page("talent_api:add_my_plan_review", {**API, "*": 404}, permission=PLAN, method="post"),
]
