"""The HEE talent-pipeline pages: the dashboard (funnel, trends, breakdowns, backgrounds of leaders) and its CSV, and
the drill-down to the clinicians behind a count and its CSV, for HEE staff (national or regional) and training-body
admins (their own bodies). Filters are GET parameters (see `pipeline.selectors.scope`), so a view can be shared by
its address.

Figures come from roll-ups (`pipeline.services`), refreshed by a beat task every two minutes, so the "figures as of"
time shown is never more than five minutes old; without a worker (`make run`) a page that finds older figures
rebuilds them before answering (`pipeline_fresh_run`).
"""

from pipeline.views.dashboard import ExportDashboardView, ShowDashboardView
from pipeline.views.drilldown import ExportDrilldownView, ListDrilldownView
from pipeline.views.follow_ups import ShowBodyFollowUpsView, ShowFollowUpRatesView

__all__ = [
    "ExportDashboardView",
    "ExportDrilldownView",
    "ListDrilldownView",
    "ShowBodyFollowUpsView",
    "ShowDashboardView",
    "ShowFollowUpRatesView",
]
