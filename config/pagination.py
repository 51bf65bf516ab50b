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

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections
from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


# NHS.UK numbered pagination (nhsuk-frontend's pagination component), written by `page_navigation`.
ARROW_LEFT = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" '
    'height="16" focusable="false" aria-hidden="true"><path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4'
    'l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"/></svg>'
)
ARROW_RIGHT = (
    '<svg class="nhsuk-icon nhsuk-icon--arrow-right" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" '
    'height="16" focusable="false" aria-hidden="true"><path d="m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 '
    '1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z"/></svg>'
)
PREVIOUS_LINK = (
    '<a href="{url}" class="nhsuk-pagination__previous" rel="prev">'
    + ARROW_LEFT
    + '<span class="nhsuk-pagination__title">Previous<span class="nhsuk-u-visually-hidden"> page</span></span></a>\n'
)
NEXT_LINK = (
    '<a href="{url}" class="nhsuk-pagination__next" rel="next"><span class="nhsuk-pagination__title">Next'
    '<span class="nhsuk-u-visually-hidden"> page</span></span>' + ARROW_RIGHT + "</a>\n"
)
PAGE_LINK = (
    '<li class="nhsuk-pagination__item{current_class}"><a class="nhsuk-pagination__link" href="{url}" '
    'aria-label="Page {number}"{aria_current}>{number}</a></li>\n'
)
ELLIPSIS = '<li class="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">&ctdot;</li>\n'


def page_navigation(request: HttpRequest, page: Page) -> dict:
    """What NHS.UK numbered pagination shows below `page`: links to the previous and next pages and to the page
    numbers around the current one, with ellipses for the gaps; `html`, the component itself (empty when there is
    only one page), for a template to place with `{{ pagination.html }}`.

    Each link is the current address with only its page changed, as `{% querystring %}` writes it. Built here, as is
    the markup: the tags and the template loop over a dozen links took a fifth of a drill-down page's template.
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
    navigation = {
        "previous": url(page.previous_page_number()) if page.has_previous() else None,
        "next": url(page.next_page_number()) if page.has_next() else None,
        "links": links,
    }
    navigation["html"] = _navigation_html(navigation) if page.has_other_pages() else ""
    return navigation


def _navigation_html(navigation: dict) -> SafeString:
    parts = ['<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">\n']
    if navigation["previous"]:
        parts.append(PREVIOUS_LINK.format(url=escape(navigation["previous"])))
    parts.append('<ul class="nhsuk-pagination__list">\n')
    for link in navigation["links"]:
        if link.get("ellipsis"):
            parts.append(ELLIPSIS)
            continue
        current = link["current"]
        parts.append(
            PAGE_LINK.format(
                current_class=" nhsuk-pagination__item--current" if current else "",
                url=escape(link["url"]),
                number=link["number"],
                aria_current=' aria-current="page"' if current else "",
            )
        )
    parts.append("</ul>\n")
    if navigation["next"]:
        parts.append(NEXT_LINK.format(url=escape(navigation["next"])))
    parts.append("</nav>\n")
    return mark_safe("".join(parts))  # noqa: S308 - the only values, the addresses, are escaped
