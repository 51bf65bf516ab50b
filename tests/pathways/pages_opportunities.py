"""Permission-matrix rows for the opportunities pages (see tests/test_permissions.py)."""

from accounts.permissions import Permission
from tests.permissions import EVERYONE, Page

PAGES: list = [
    Page("pathways:list_opportunities", EVERYONE),
    Page("pathways:show_opportunity", EVERYONE, kwargs={"slug": "open_opportunity.slug"}),
    Page("pathways:show_opportunity", EVERYONE, kwargs={"slug": "closed_opportunity.slug"}),
    # A draft is a preview for those who edit content; for everyone else it is not found.
    Page(
        "pathways:show_opportunity",
        {"anonymous": 404},
        permission=Permission.EDIT_CONTENT,
        denied=404,
        kwargs={"slug": "draft_opportunity.slug"},
    ),
]
