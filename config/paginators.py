"""The paginator of the population-sized lists: the clinicians list, the pipeline drill-down and the `clinicians/`
API. Counting their total reads every matching row (hundreds of thousands for national HEE staff), far more than the
page of rows shown, so the total is remembered for `LIST_TOTAL_SECONDS` under the count's own SQL and parameters:
the key is the question itself, so it always names the user's scope and filters, and nothing has to be kept in step
with them. The rows are always read live. ADR 0010.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination


def list_total_key(queryset, as_of: object = None) -> str | None:
    """The cache key of a list's total: a hash of its count's database, SQL and parameters, and of `as_of`. None:
    nothing can match (an empty `.none()` list has no SQL)."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:
        return None
    question = f"{queryset.db}|{sql}|{params!r}|{as_of!r}"
    return "list-total:" + hashlib.sha256(question.encode()).hexdigest()


class RememberedTotalPaginator(Paginator):
    """A Paginator whose total is counted at most once every `LIST_TOTAL_SECONDS` per distinct list.

    `as_of` names what the list was read from besides the database's rows, such as the roll-up run a drill-down
    lists the stages of, so that a new run's list is counted afresh. It can only tell lists further apart: the SQL
    is always part of the key."""

    def __init__(self, *args, as_of: object = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_of = as_of

    @cached_property
    def count(self) -> int:
        key = list_total_key(self.object_list, self.as_of)
        if key is None:
            return 0
        return cache.get_or_set(key, self.object_list.count, settings.LIST_TOTAL_SECONDS)


class RememberedTotalPagination(PageNumberPagination):
    """DRF's page-number pagination (`{"count", "next", "previous", "results"}`) over RememberedTotalPaginator."""

    django_paginator_class = RememberedTotalPaginator

    def get_paginated_response_schema(self, schema: dict) -> dict:
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count"]["description"] = (
            "How many match, counted at most once a minute for the same question (scope and filters)."
        )
        return paginated
