"""Pagination for the long staff lists (the `clinicians/` API and the pipeline drill-down), where counting every
matching row costs far more than the page itself: hundreds of milliseconds for a national list of 600,000
clinicians, against a few for the 50 rows shown.

The total is counted exactly, then remembered for `LIST_COUNT_CACHE_SECONDS` (a minute by default) under a hash of
what it depends on: the count's own SQL and parameters, or a name the caller gives (`count_key`) that tells apart
everything the SQL would. Either way one person's count never answers another's different question; the rows
themselves are always read live, so the only thing a repeated view can show out of date is the total, by at most
that long (said in the API schema and on the drill-down page).
"""

import hashlib
from functools import partial

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.http import HttpRequest
from django.utils.functional import cached_property
from rest_framework.pagination import PageNumberPagination

from config.cache import remembered
from config.db import PagedValues


def count_cache_key(queryset) -> str | None:
    """The cache key of a list's total: its SQL and parameters, so its scope and filters. None: nothing to count."""
    query = queryset.order_by().query
    try:
        sql, params = query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:  # e.g. .none(): nothing can match
        return None
    source = f"{queryset.db}|{connections[queryset.db].vendor}|{sql}|{params!r}"
    return "list-total:" + hashlib.sha256(source.encode()).hexdigest()


class RememberedCountPage(Page):
    """Its first and last row numbers come from the rows on it, not from the remembered total, which can be
    behind by a row or two."""

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return self.start_index() + len(self.object_list) - 1 if self.object_list else 0


class RememberedCountPaginator(Paginator):
    """A Paginator whose total is counted once a minute per distinct list (see the module's docstring). A page
    always holds up to `per_page` rows, even past a remembered total that is a little behind.

    `count_key`, when given, names the total instead of the count's SQL: for a caller that can say more cheaply
    (compiling a national list's count takes a good part of a millisecond) everything the total depends on, including
    what the SQL cannot show. It must tell apart every list whose totals can differ.
    """

    def __init__(self, *args, count_key: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    def page(self, number) -> RememberedCountPage:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def _get_page(self, *args, **kwargs) -> RememberedCountPage:
        return RememberedCountPage(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        seconds = settings.LIST_COUNT_CACHE_SECONDS
        if not seconds:
            return super().count
        if self.count_key is not None:
            key = "list-total:" + hashlib.sha256(self.count_key.encode()).hexdigest()
        elif hasattr(self.object_list, "query"):
            key = count_cache_key(self.object_list)
        else:
            return super().count
        if key is None:
            return 0
        if hasattr(self.object_list, "query"):
            return remembered(key, seconds, lambda: self.object_list.order_by().count())
        if isinstance(self.object_list, PagedValues):
            return remembered(key, seconds, self.object_list.count)
        return super().count  # a plain list counts itself


class RememberedCountPagination(PageNumberPagination):
    """DRF's page-number pagination (`{"count", "next", "previous", "results"}`) over RememberedCountPaginator."""

    django_paginator_class = RememberedCountPaginator

    def paginate_queryset(self, queryset, request, view=None):
        # A view can name its list's total itself (`list_count_key()`, see RememberedCountPaginator's count_key).
        count_key = view.list_count_key() if hasattr(view, "list_count_key") else None
        self.django_paginator_class = partial(RememberedCountPaginator, count_key=count_key)
        return super().paginate_queryset(queryset, request, view)


def page_navigation(request: HttpRequest, page: Page) -> dict:
    """What NHS.UK numbered pagination (templates/talent/clinicians/_pagination.html) shows below `page`: links to
    the previous and next pages and to the page numbers around the current one, with ellipses for the gaps.

    Each link is the current address with only its page changed, as `{% querystring %}` writes it. Built here:
    half a dozen of those tags, each copying the address afresh, took half the time of a drill-down page's template.
    """
    query = request.GET.copy()

    def url(number: int) -> str:
        query["page"] = str(number)
        return "?" + query.urlencode()

    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append({"ellipsis": True})
        else:
            links.append({"number": number, "current": number == page.number, "url": url(number)})
    return {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "links": links,
    }
