"""Permission-matrix rows for the pathways pages (see tests/test_permissions.py)."""

from accounts.permissions import Permission
from tests.permissions import EVERYONE, Page

# Saving is for clinicians, back to the pathway; anonymous people sign in first; other roles may not.
SAVE = {"*": 302}
SAVE_DRAFT = {"*": 404}
OWN = Permission.EDIT_OWN_PROFILE

PAGES: list = [
    Page("pathways:list_pathways", EVERYONE),
    Page("pathways:show_pathway", EVERYONE, kwargs={"slug": "published_pathway.slug"}),
    # A draft is a preview for those who edit content; for everyone else it is not found.
    Page(
        "pathways:show_pathway",
        {"anonymous": 404},
        permission=Permission.EDIT_CONTENT,
        denied=404,
        kwargs={"slug": "draft_pathway.slug"},
    ),
    Page("pathways:save_pathway", SAVE, permission=OWN, method="post", kwargs={"slug": "published_pathway.slug"}),
    Page("pathways:save_pathway", SAVE_DRAFT, permission=OWN, method="post", kwargs={"slug": "draft_pathway.slug"}),
    Page("pathways:unsave_pathway", SAVE, permission=OWN, method="post", kwargs={"slug": "published_pathway.slug"}),
    Page("pathways:unsave_pathway", SAVE_DRAFT, permission=OWN, method="post", kwargs={"slug": "draft_pathway.slug"}),
]
