"""Permission-matrix rows for the opportunities pages (see tests/test_permissions.py)."""

from tests.permissions import EVERYONE, Page

PAGES: list = [
    Page("opportunity_list", EVERYONE),
    Page("opportunity_detail", EVERYONE, kwargs={"slug": "open_opportunity.slug"}),
    Page("opportunity_detail", EVERYONE, kwargs={"slug": "closed_opportunity.slug"}),
    Page("opportunity_detail", {"anonymous": 404, "*": 404}, kwargs={"slug": "draft_opportunity.slug"}),
]
