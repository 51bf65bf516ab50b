"""Follow-up rates of nudges: how training bodies act on the clinicians their nudges name, per body and per region,
per month, and one body's figures, for HEE staff (national or their region) and training-body admins (their own
bodies). Counts only."""

from django.views.generic import TemplateView

from accounts.permissions import Permission
from accounts.views import PermissionRequiredMixin
from config.db import ReadingFromReplicaMixin
from pipeline.forms import FollowUpTrendForm
from pipeline.selectors.follow_ups import (
    BY_REGION,
    BY_TRAINING_BODY,
    COLUMNS,
    OUTCOME_COLUMNS,
    TREND_COLUMNS,
    body_follow_ups,
    follow_up_body_for,
    follow_up_rates_table,
    follow_up_trend_table,
)
from pipeline.selectors.scope import pipeline_scope_for

# The body's headline figures; how its items were closed has a table of its own.
SUMMARY = ("opened", "closed_in_time", "overdue", "median_days", "conversations")
TABLES = [(BY_REGION, "By region"), (BY_TRAINING_BODY, "By training body")]


def trend_rows(rows: list[dict]) -> list[dict]:
    columns = [column for column, _ in TREND_COLUMNS]
    return [{**row, "values": [row["cells"][column] for column in columns]} for row in rows]


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
                    "links": key == BY_TRAINING_BODY,
                }
            )
        form = FollowUpTrendForm(request.GET if "region" in request.GET else None, user=request.user)
        region = form.chosen_region()
        return super().get_context_data(
            tables=tables,
            national=pipeline_scope_for(request.user).national,
            form=form,
            region=region,
            trend=trend_rows(follow_up_trend_table(user=request.user, region=region)),
            trend_columns=TREND_COLUMNS,
            **kwargs,
        )


class BodyInScopeMixin:
    """Whether the body is one the person may see is decided on the primary, after the permission check and before
    anything is read from the replica, as the permission itself is: outside their scope it is a 404."""

    def dispatch(self, request, *args, **kwargs):
        self.body = follow_up_body_for(user=request.user, slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)


class ShowBodyFollowUpsView(PermissionRequiredMixin, BodyInScopeMixin, ReadingFromReplicaMixin, TemplateView):
    """One training body's follow-up figures: a body outside the person's pipeline scope is a 404."""

    permission_required = Permission.VIEW_PIPELINE
    template_name = "pipeline/follow_ups_body.html"

    def get_context_data(self, **kwargs):
        user, body = self.request.user, self.body
        figures = body_follow_ups(user=user, training_body=body)
        return super().get_context_data(
            body=body,
            figures=figures,
            summary=[(label, figures.cells[column]) for column, label in COLUMNS if column in SUMMARY],
            closed_how=[(label, figures.cells[column]) for column, label in OUTCOME_COLUMNS]
            + [("Still open", figures.cells["still_open"])],
            trend=trend_rows(figures.trend),
            trend_columns=TREND_COLUMNS,
            **kwargs,
        )
