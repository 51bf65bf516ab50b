"""Permission-matrix rows for the talent-pipeline dashboard (see tests/test_permissions.py); `hee_home` (the
dashboard itself) is in tests/test_permissions.py."""

from accounts.permissions import Permission
from tests.permissions import API, Page

PAGES: list = [
    Page("pipeline_export", permission=Permission.EXPORT_PIPELINE),
    Page("pipeline_drilldown", permission=Permission.VIEW_PIPELINE),
    Page("pipeline_drilldown_export", permission=Permission.EXPORT_PIPELINE),
    Page("api_pipeline_summary", API, permission=Permission.VIEW_PIPELINE),
]
