"""The paginator of the population-sized lists (the clinicians list, the pipeline drill-down and the `clinicians/`
API), told its total instead of counting it. Counting reads every matching row, hundreds of thousands for national
HEE staff, far more than the page shown. The total is given as a `ListTotal`: exact from the pipeline's roll-ups,
as of their run, when they can answer the list's question (`pipeline.selectors.totals`), otherwise the planner's
estimate, which pages show as "about N". Reading a page asks for one row more than it shows, so the page that ends
a list knows its exact total there and then, without looking it up. ADR 0012.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connections
from django.db.models import QuerySet
from django.http import Http404
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

# An estimate is shown to this many significant figures: the planner is rarely closer than that.
ESTIMATE_FIGURES = 3


@dataclass(frozen=True)
class ListTotal:
    """How many rows a list has. `exact`: counted (from the roll-ups of the run at `as_of`, or from the rows
    themselves when `as_of` is None); otherwise the database planner's estimate."""

    count: int
    exact: bool
    as_of: datetime | None = None

    @property
    def shown(self) -> int:
        """The number a page shows: the count, or an estimate rounded to ESTIMATE_FIGURES significant figures."""
        if self.exact or self.count < 10**ESTIMATE_FIGURES:
            return self.count
        unit = 10 ** (len(str(self.count)) - ESTIMATE_FIGURES)
        return round(self.count / unit) * unit


def planner_estimate(queryset: QuerySet) -> ListTotal:
    """How many rows PostgreSQL's planner expects the list to have (EXPLAIN: no row is read). Other databases
    (SQLite for `make run`, a few hundred clinicians) count them."""
    if queryset.query.is_empty():
        return ListTotal(0, exact=True)
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return ListTotal(queryset.count(), exact=True)
    try:
        sql, params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return ListTotal(0, exact=True)
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return ListTotal(int(plan[0]["Plan"]["Plan Rows"]), exact=False)


class ListTotalPage(Page):
    """A page whose first and last row numbers come from the rows it holds, not from the total, which may be an
    estimate or as of the last roll-up run."""

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class ListTotalPaginator(Paginator):
    """A Paginator given its total (a `ListTotal`, or a function that finds one) rather than counting it.

    A page is read first, with one row more than it shows: a page that ends the list knows its exact total from its
    rows, and then the total is never looked up (a short list costs no query for it). Otherwise, with an exact total
    page numbers run to its last page and a number past the rows shows the last page, as Django's paginator does;
    with an estimate a page past the rows is a 404 (finding the last page would mean counting). A page followed by
    more rows than the total allows raises it to an estimate of at least that many."""

    def __init__(self, object_list, per_page, *, total: ListTotal | Callable[[], ListTotal]):
        super().__init__(object_list, per_page)
        self._total = total

    @property
    def total(self) -> ListTotal:
        if callable(self._total):
            self._total = self._total()
        return self._total

    @property
    def count(self) -> int:
        return self.total.count

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    def validate_number(self, number) -> int:
        try:
            number = int(number)
        except (TypeError, ValueError) as error:
            raise PageNotAnInteger("That page number is not an integer") from error
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        return number

    def page(self, number) -> ListTotalPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        if not more and (rows or number == 1):
            self._total = ListTotal(bottom + len(rows), exact=True)
        elif not rows:
            raise EmptyPage("That page contains no results")
        elif self.total.count <= bottom + self.per_page:
            # More rows than the total said (an estimate too low, or clinicians added since the figures' run).
            self._total = ListTotal(bottom + self.per_page + 1, exact=False)
        return ListTotalPage(rows, number, self)

    def get_page(self, number) -> ListTotalPage:
        """The page asked for; the first for a number that is not one; the last for one past the rows of an exact
        total; a 404 past the rows of an estimated list."""
        try:
            number = self.validate_number(number)
        except (PageNotAnInteger, EmptyPage):
            number = 1
        try:
            return self.page(number)
        except EmptyPage as error:
            if self.total.exact and self.num_pages < number:
                try:
                    return self.page(self.num_pages)
                except EmptyPage:
                    pass
            raise Http404(f"There is no page {number} of this list.") from error


class ListTotalPagination(PageNumberPagination):
    """DRF's page-number pagination over ListTotalPaginator: `{"count", "count_exact", "count_as_of", "next",
    "previous", "results"}`. The view gives the total: `list_total(queryset) -> ListTotal`, asked only when the page
    does not end the list."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        paginator = ListTotalPaginator(queryset, self.get_page_size(request), total=lambda: view.list_total(queryset))
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            number = paginator.num_pages
        try:
            self.page = paginator.page(number)
        except (EmptyPage, PageNotAnInteger) as error:
            raise NotFound(self.invalid_page_message.format(page_number=number, message=str(error))) from error
        return list(self.page)

    def get_paginated_response(self, data) -> Response:
        total = self.page.paginator.total
        return Response(
            {
                "count": total.count,
                "count_exact": total.exact,
                "count_as_of": total.as_of.isoformat() if total.as_of else None,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        properties = paginated["properties"]
        properties["count"]["description"] = (
            "How many match: exact when `count_exact` is true (from the figures of `count_as_of`, or counted from "
            "the rows when that is null), otherwise the database's estimate."
        )
        paginated["properties"] = {
            "count": properties["count"],
            "count_exact": {"type": "boolean", "description": "Whether `count` is exact rather than an estimate."},
            "count_as_of": {
                "type": "string",
                "format": "date-time",
                "nullable": True,
                "description": "When the exact count was made (the pipeline figures' time); null: counted now or "
                "estimated.",
            },
            **{name: value for name, value in properties.items() if name != "count"},
        }
        paginated["required"] = ["count", "count_exact", "count_as_of", "results"]
        return paginated
