"""Permission-matrix rows for the talent-pipeline dashboard (see tests/test_permissions.py); `hee_home` (the
dashboard itself) is in tests/test_permissions.py."""

from tests.permissions import Page

PIPELINE = {
    "anonymous": 302,
    "tb_admin": 200,
    "other_tb_admin": 200,
    "hee_staff": 200,
    "regional_hee_staff": 200,
    "*": 403,
}

PAGES: list = [
    Page("pipeline_export", PIPELINE),
    Page("pipeline_drilldown", PIPELINE),
    Page("pipeline_drilldown_export", PIPELINE),
    Page("api_pipeline_summary", {**PIPELINE, "anonymous": 401}),
]
