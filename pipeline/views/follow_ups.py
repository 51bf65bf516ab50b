"""Follow-up rates of nudges: how training bodies act on the clinicians their nudges name, per body and per region,
for HEE staff (national or their region) and training-body admins (their own bodies). Counts only."""

from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.db import ReadingFromReplicaMixin
from pipeline.selectors.follow_ups import BY_REGION, BY_TRAINING_BODY, COLUMNS, follow_up_rates_table
from pipeline.selectors.scope import pipeline_scope_for

TABLES = [(BY_REGION, "By region"), (BY_TRAINING_BODY, "By training body")]


class ShowFollowUpRatesView(PermissionRequiredMixin, ReadingFromReplicaMixin, TemplateView):
    """Read from the replica once the permission check has passed, as the dashboard is."""

    permission_required = Permission.VIEW_PIPELINE
    template_name = "pipeline/follow_ups.html"

    def get_context_data(self, **kwargs):
        request = self.request
        tables = []
        for key, title in TABLES:
            sort = request.GET.get(f"{key}_sort", "label")
            headers = []
            for column, label in [("label", title.removeprefix("By ").capitalize()), *COLUMNS]:
                current = sort.lstrip("-") == column
                descending = sort.startswith("-")
                query = request.GET.copy()
                query[f"{key}_sort"] = f"-{column}" if current and not descending else column
                headers.append(
                    {
                        "label": label,
                        "query": query.urlencode(),
                        "aria_sort": ("descending" if descending else "ascending") if current else None,
                        "numeric": column != "label",
                    }
                )
            rows = follow_up_rates_table(user=request.user, by=key, sort=sort)
            columns = [column for column, _ in COLUMNS]
            tables.append(
                {
                    "key": key,
                    "title": title,
                    "headers": headers,
                    "rows": [{**row, "values": [row["cells"][column] for column in columns]} for row in rows],
                }
            )
        return super().get_context_data(tables=tables, national=pipeline_scope_for(request.user).national, **kwargs)
