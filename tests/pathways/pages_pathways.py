"""Permission-matrix rows for the pathways pages (see tests/test_permissions.py)."""

from tests.permissions import EVERYONE, Page

ALL_404 = {"anonymous": 404, "*": 404}
# Saving is for clinicians; anonymous people sign in first; other roles may not.
SAVE = {"anonymous": 302, "clinician": 302, "other_clinician": 302, "*": 403}
SAVE_DRAFT = {"anonymous": 302, "clinician": 404, "other_clinician": 404, "*": 403}

PAGES: list = [
    Page("pathway_list", EVERYONE),
    Page("pathway_detail", EVERYONE, kwargs={"slug": "published_pathway.slug"}),
    Page("pathway_detail", ALL_404, kwargs={"slug": "draft_pathway.slug"}),
    Page("pathway_save", SAVE, method="post", kwargs={"slug": "published_pathway.slug"}),
    Page("pathway_save", SAVE_DRAFT, method="post", kwargs={"slug": "draft_pathway.slug"}),
    Page("pathway_unsave", SAVE, method="post", kwargs={"slug": "published_pathway.slug"}),
    Page("pathway_unsave", SAVE_DRAFT, method="post", kwargs={"slug": "draft_pathway.slug"}),
]
