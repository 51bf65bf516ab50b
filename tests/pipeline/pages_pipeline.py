"""Permission-matrix rows for the talent-pipeline dashboard (see tests/test_permissions.py); `pipeline:show_dashboard`
(the dashboard itself, HEE staff's home page) is in tests/test_permissions.py."""

from accounts.permissions import Permission
from tests.permissions import API, Page

PAGES: list = [
    Page("pipeline:export_dashboard", permission=Permission.EXPORT_PIPELINE),
    Page("pipeline:list_drilldown", permission=Permission.VIEW_PIPELINE),
    Page("pipeline:export_drilldown", permission=Permission.EXPORT_PIPELINE),
    Page("pipeline_api:show_summary", API, permission=Permission.VIEW_PIPELINE),
    Page("pipeline:show_follow_up_rates", permission=Permission.VIEW_PIPELINE),
    # One body's follow-ups: the body is in the North West, outside London's regional staff and the other admin.
    Page(
        "pipeline:show_body_follow_ups",
        {"other_tb_admin": 404, "regional_hee_staff": 404},
        kwargs={"slug": "training_body.slug"},
        permission=Permission.VIEW_PIPELINE,
    ),
    Page("pipeline_api:show_follow_up_rates", API, permission=Permission.VIEW_PIPELINE),
    Page(
        "pipeline_api:show_body_follow_ups",
        {**API, "other_tb_admin": 404, "regional_hee_staff": 404},
        kwargs={"slug": "training_body.slug"},
        permission=Permission.VIEW_PIPELINE,
    ),
]
