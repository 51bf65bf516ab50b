"""Permission-matrix rows for the pathways API (see tests/test_permissions.py).

Published pathways and opportunities are public, so everyone, signed in or not, gets 200; drafts do not exist for
anyone (404), editors included: they work on drafts in the admin site.
"""

from tests.permissions import EVERYONE, Page

NOBODY = {"anonymous": 404, "*": 404}

PAGES: list = [
    Page("pathways_api:list_pathways", EVERYONE),
    Page("pathways_api:show_pathway", EVERYONE, kwargs={"slug": "published_pathway.slug"}),
    Page("pathways_api:show_pathway", NOBODY, kwargs={"slug": "draft_pathway.slug"}),
    Page("pathways_api:list_opportunities", EVERYONE),
    Page("pathways_api:show_opportunity", EVERYONE, kwargs={"opportunity_id": "open_opportunity.pk"}),
    Page("pathways_api:show_opportunity", EVERYONE, kwargs={"opportunity_id": "closed_opportunity.pk"}),
    Page("pathways_api:show_opportunity", NOBODY, kwargs={"opportunity_id": "draft_opportunity.pk"}),
]
