"""`{% load pagination %}` (registered in settings.TEMPLATES): what templates/includes/pagination.html needs that a
template cannot ask for itself."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_numbers(page: Page):
    """The page numbers NHS.UK numbered pagination links to around `page`: the first and last, two either side of
    the current one, and `Paginator.ELLIPSIS` for each gap."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
