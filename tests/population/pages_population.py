"""Permission-matrix rows for the eligible population's pages (content editors only)."""

from accounts.permissions import Permission
from tests.permissions import Page

PAGES: list = [
    Page("population:list_eligible_population_uploads", permission=Permission.MANAGE_ELIGIBLE_POPULATION),
    Page("population:upload_eligible_population", permission=Permission.MANAGE_ELIGIBLE_POPULATION),
    # An empty post is the form again with its errors, for an editor; nothing for anyone else.
    Page("population:upload_eligible_population", permission=Permission.MANAGE_ELIGIBLE_POPULATION, method="post"),
]
