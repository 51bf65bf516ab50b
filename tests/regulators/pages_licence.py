"""Permission-matrix rows for licence guidance, the clinician's revalidation pages and the regulators API.

Published guidance is public (superseded versions too, with a notice); drafts exist only for content editors. The
revalidation pages are the clinician's own (no ids in the URL, so nobody can ask for another's).
"""

from accounts.permissions import Permission
from tests.permissions import EVERYONE, Page

GUIDANCE = {"regulator": "guidance_published.guidance.regulator.code", "slug": "guidance_published.guidance.slug"}
DRAFT_ONLY = {"regulator": "guidance_draft_only.guidance.regulator.code", "slug": "guidance_draft_only.guidance.slug"}
NOBODY = {"anonymous": 404, "*": 404}

PAGES: list = [
    Page("regulators:list_guidance", EVERYONE),
    Page("regulators:show_guidance", EVERYONE, kwargs=GUIDANCE),
    Page("regulators:show_guidance", NOBODY, kwargs=DRAFT_ONLY),
    Page("regulators:show_guidance_version", EVERYONE, kwargs={**GUIDANCE, "number": "guidance_superseded.number"}),
    # A draft exists only for those who edit content: for everyone else it is not found.
    Page(
        "regulators:show_guidance_version",
        {"anonymous": 404},
        permission=Permission.EDIT_CONTENT,
        denied=404,
        kwargs={**GUIDANCE, "number": "guidance_draft.number"},
    ),
    Page("regulators:show_guidance_changes", EVERYONE, kwargs=GUIDANCE),
    Page("regulators:show_guidance_changes", NOBODY, kwargs=DRAFT_ONLY),
    Page("regulators:show_revalidation", permission=Permission.EDIT_OWN_PROFILE),
    Page("regulators:edit_revalidation", permission=Permission.EDIT_OWN_PROFILE),
    Page("regulators:edit_revalidation", permission=Permission.EDIT_OWN_PROFILE, method="post"),
    Page("regulators:edit_guidance_emails", permission=Permission.EDIT_OWN_PROFILE),
    # An empty answer: the form shows its error (200), nothing changes.
    Page("regulators:edit_guidance_emails", permission=Permission.EDIT_OWN_PROFILE, method="post"),
    Page("regulators_api:list_regulators", EVERYONE),
    Page("regulators_api:list_guidance", EVERYONE),
    Page("regulators_api:show_guidance", EVERYONE, kwargs=GUIDANCE),
    Page("regulators_api:show_guidance", NOBODY, kwargs=DRAFT_ONLY),
]
