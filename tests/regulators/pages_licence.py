"""Permission-matrix rows for licence guidance, the clinician's revalidation pages and the regulators API.

Published guidance is public (superseded versions too, with a notice); drafts exist only for content editors. The
revalidation pages are the clinician's own (no ids in the URL, so nobody can ask for another's).
"""

from tests.permissions import EVERYONE, Page

GUIDANCE = {"regulator": "guidance_published.guidance.regulator.code", "slug": "guidance_published.guidance.slug"}
DRAFT_ONLY = {"regulator": "guidance_draft_only.guidance.regulator.code", "slug": "guidance_draft_only.guidance.slug"}
EDITORS_ONLY = {"anonymous": 404, "editor": 200, "*": 404}
OWN_RECORD = {"anonymous": 302, "clinician": 200, "other_clinician": 200, "*": 403}
NOBODY = {"anonymous": 404, "*": 404}

PAGES: list = [
    Page("licence_guidance_list", EVERYONE),
    Page("licence_guidance_detail", EVERYONE, kwargs=GUIDANCE),
    Page("licence_guidance_detail", NOBODY, kwargs=DRAFT_ONLY),
    Page("licence_guidance_version", EVERYONE, kwargs={**GUIDANCE, "number": "guidance_superseded.number"}),
    Page("licence_guidance_version", EDITORS_ONLY, kwargs={**GUIDANCE, "number": "guidance_draft.number"}),
    Page("licence_guidance_changes", EVERYONE, kwargs=GUIDANCE),
    Page("licence_guidance_changes", NOBODY, kwargs=DRAFT_ONLY),
    Page("revalidation_detail", OWN_RECORD),
    Page("revalidation_edit", OWN_RECORD),
    Page("revalidation_edit", {**OWN_RECORD, "clinician": 200, "other_clinician": 200}, method="post"),
    Page("api_regulator_list", EVERYONE),
    Page("api_guidance_list", EVERYONE),
    Page("api_guidance_detail", EVERYONE, kwargs=GUIDANCE),
    Page("api_guidance_detail", NOBODY, kwargs=DRAFT_ONLY),
]
