"""Permission-matrix rows for the opportunities pages (see tests/test_permissions.py)."""

from tests.permissions import EVERYONE, Page

PAGES: list = [
    Page("pathways:list_opportunities", EVERYONE),
    Page("pathways:show_opportunity", EVERYONE, kwargs={"slug": "open_opportunity.slug"}),
    Page("pathways:show_opportunity", EVERYONE, kwargs={"slug": "closed_opportunity.slug"}),
    Page("pathways:show_opportunity", {"anonymous": 404, "*": 404}, kwargs={"slug": "draft_opportunity.slug"}),
]
