"""Permission-matrix rows for succession (see tests/test_permissions.py): HEE staff and training-body admins see
the figures of their scope; a region outside a regional person's scope does not exist for them."""

from accounts.permissions import Permission
from tests.permissions import API, Page

SUCCESSION = Permission.VIEW_SUCCESSION

PAGES: list = [
    Page("talent:show_succession", permission=SUCCESSION),
    Page("talent:show_succession_backgrounds", permission=SUCCESSION),
    Page(
        "talent:show_succession_cell",
        {"regional_hee_staff": 404},
        permission=SUCCESSION,
        literal_kwargs={"region_slug": "north-west", "role_level": "service"},
    ),
    Page(
        "talent:show_succession_cell",
        {"*": 404},
        permission=SUCCESSION,
        literal_kwargs={"region_slug": "london", "role_level": "team"},
    ),
    Page("talent_api:show_succession", API, permission=SUCCESSION),
]
