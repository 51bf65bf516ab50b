"""Permission-matrix rows for talent pools (see tests/test_permissions.py): only a pool's owners see it, its members
and its reviews (another body's admin, and HEE staff of another scope, are told it does not exist); a clinician sees
only their own membership."""

from accounts.permissions import Permission
from tests.permissions import API, Page

NOT_OWNER = {"other_tb_admin": 404, "hee_staff": 404, "regional_hee_staff": 404}
NOT_REGIONAL_OWNER = {"tb_admin": 404, "other_tb_admin": 404, "hee_staff": 404}
NOT_NATIONAL_OWNER = {"tb_admin": 404, "other_tb_admin": 404, "regional_hee_staff": 404}
OWN = {"other_clinician": 404}
POOL = {"pool_id": "pool.pk"}
MEMBER = {"pool_id": "pool.pk", "membership_id": "pool_membership.pk"}
REVIEW = {"review_id": "review.pk"}
MANAGE = Permission.MANAGE_TALENT_POOLS
JOIN = Permission.JOIN_TALENT_POOLS

PAGES: list = [
    Page("talent:list_pools", permission=MANAGE),
    Page("talent:create_pool", permission=MANAGE),
    Page("talent:show_pool", NOT_OWNER, permission=MANAGE, kwargs=POOL),
    Page("talent:show_pool", NOT_REGIONAL_OWNER, permission=MANAGE, kwargs={"pool_id": "regional_pool.pk"}),
    Page("talent:show_pool", NOT_NATIONAL_OWNER, permission=MANAGE, kwargs={"pool_id": "national_pool.pk"}),
    Page("talent:assess_pool_member", NOT_OWNER, permission=MANAGE, kwargs=MEMBER),
    Page("talent:show_review", NOT_OWNER, permission=MANAGE, kwargs=REVIEW),
    Page("talent:list_my_pools", permission=JOIN),
    Page("talent:show_my_pool_membership", OWN, permission=JOIN, kwargs={"membership_id": "pool_membership.pk"}),
    Page("talent_api:list_pools", API, permission=MANAGE),
    Page("talent_api:show_pool", {**API, **NOT_OWNER}, permission=MANAGE, kwargs=POOL),
    Page(
        "talent_api:show_pool",
        {**API, **NOT_REGIONAL_OWNER},
        permission=MANAGE,
        kwargs={"pool_id": "regional_pool.pk"},
    ),
    Page("talent_api:list_pool_members", {**API, **NOT_OWNER}, permission=MANAGE, kwargs=POOL),
    # Posting nothing: owners are told what is missing; others never learn the pool exists.
    Page(
        "talent_api:assess_pool_member",
        {**API, **NOT_OWNER, "tb_admin": 400},
        permission=MANAGE,
        kwargs=MEMBER,
        method="post",
    ),
    Page(
        "talent_api:accept_pool_request",
        {**API, **NOT_OWNER, "tb_admin": 409},
        permission=MANAGE,
        kwargs=MEMBER,
        method="post",
    ),
    Page(
        "talent_api:decline_pool_request",
        {**API, **NOT_OWNER, "tb_admin": 409},
        permission=MANAGE,
        kwargs=MEMBER,
        method="post",
    ),
    Page("talent_api:list_reviews", API, permission=MANAGE),
    Page("talent_api:show_review", {**API, **NOT_OWNER}, permission=MANAGE, kwargs=REVIEW),
    Page(
        "talent_api:rate_review_member",
        {**API, **NOT_OWNER, "tb_admin": 400},
        permission=MANAGE,
        kwargs=REVIEW,
        method="post",
    ),
    Page(
        "talent_api:close_review",
        {**API, **NOT_OWNER},
        permission=MANAGE,
        kwargs=REVIEW,
        method="post",
    ),
    Page("talent_api:list_my_pools", API, permission=JOIN),
    Page(
        "talent_api:accept_pool_invitation",
        {**API, **OWN, "clinician": 409},
        permission=JOIN,
        kwargs={"membership_id": "pool_membership.pk"},
        method="post",
    ),
    Page(
        "talent_api:decline_pool_invitation",
        {**API, **OWN, "clinician": 409},
        permission=JOIN,
        kwargs={"membership_id": "pool_membership.pk"},
        method="post",
    ),
    Page(
        "talent_api:leave_pool",
        {**API, **OWN, "clinician": 204},
        permission=JOIN,
        kwargs={"membership_id": "pool_membership.pk"},
        method="post",
    ),
]
