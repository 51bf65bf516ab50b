"""NHS.UK numbered pagination (templates/includes/pagination.html) and the paginator of population-sized lists, told
its total rather than counting it (config/paginators.py)."""

import re

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.template import RequestContext, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Region
from config.paginators import ListTotal, ListTotalPaginator
from tests.factories import ClinicianProfileFactory

PAGINATION = Template('{% include "includes/pagination.html" %}')


def pagination(request, page) -> str:
    return PAGINATION.render(RequestContext(request, {"page": page}))


def hrefs(html: str, rel: str) -> list[str]:
    return re.findall(rf'<a href="([^"]*)" class="nhsuk-pagination__\w+" rel="{rel}">', html)


def test_page_links_keep_the_address_and_change_only_the_page(rf):
    request = rf.get("/list/", {"search": "Ann & Bo", "page": "10", "sort": "name"})

    html = pagination(request, Paginator(range(500), 10).get_page(10))

    assert hrefs(html, "prev") == ["?search=Ann+%26+Bo&amp;page=9&amp;sort=name"]
    assert hrefs(html, "next") == ["?search=Ann+%26+Bo&amp;page=11&amp;sort=name"]
    assert [int(n) for n in re.findall(r'aria-label="Page (\d+)"', html)] == [1, 8, 9, 10, 11, 12, 50]
    assert html.count("nhsuk-pagination__item--ellipsis") == 2
    assert (
        '<li class="nhsuk-pagination__item nhsuk-pagination__item--current"><a class="nhsuk-pagination__link" '
        'href="?search=Ann+%26+Bo&amp;page=10&amp;sort=name" aria-label="Page 10" aria-current="page">10</a></li>'
    ) in html
    assert html.count('aria-current="page"') == 1


def test_page_links_escape_what_people_typed_in_the_address(rf):
    request = rf.get("/list/", {"search": '"><script>', "page": "2"})

    html = pagination(request, Paginator(range(30), 10).get_page(2))

    assert "<script>" not in html
    assert hrefs(html, "prev") == ["?search=%22%3E%3Cscript%3E&amp;page=1"]


def test_a_first_page_adds_the_page_to_the_address(rf):
    html = pagination(rf.get("/list/", {"region": "london"}), Paginator(range(20), 10).get_page(1))

    assert hrefs(html, "prev") == []
    assert hrefs(html, "next") == ["?region=london&amp;page=2"]
    assert html.strip().startswith(
        '<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">'
    )


def test_the_last_page_has_no_next_and_a_single_page_no_pagination(rf):
    last = pagination(rf.get("/list/", {"page": "2"}), Paginator(range(20), 10).get_page(2))

    assert hrefs(last, "prev") == ["?page=1"] and hrefs(last, "next") == []
    assert pagination(rf.get("/list/"), Paginator(range(5), 10).get_page(1)).strip() == ""


def test_a_list_given_an_exact_total_pages_to_it_and_past_the_end_shows_the_last_page():
    paginator = ListTotalPaginator(list(range(23)), 10, total=ListTotal(23, exact=True))

    assert paginator.num_pages == 3
    assert paginator.get_page(99).number == 3 and list(paginator.get_page(3)) == [20, 21, 22]
    assert paginator.get_page("x").number == 1


def test_the_page_that_ends_a_list_knows_its_exact_total():
    # Rows since the figures were counted: the last page shows them all and says how many there are now.
    paginator = ListTotalPaginator(list(range(25)), 10, total=ListTotal(23, exact=True))
    page = paginator.get_page(3)

    assert list(page) == [20, 21, 22, 23, 24] and page.end_index() == 25
    assert paginator.total == ListTotal(25, exact=True)


def test_an_estimated_list_reaches_every_row_and_a_page_past_them_is_not_found():
    paginator = ListTotalPaginator(list(range(45)), 10, total=ListTotal(12, exact=False))

    second = paginator.get_page(2)  # more rows than the estimate: raised to at least what is known
    assert second.has_next() and paginator.total == ListTotal(21, exact=False)
    fifth = paginator.get_page(5)
    assert list(fifth) == [40, 41, 42, 43, 44] and not fifth.has_next() and paginator.total.exact
    with pytest.raises(Http404):
        ListTotalPaginator(list(range(45)), 10, total=ListTotal(900, exact=False)).get_page(6)


def test_an_estimate_is_shown_to_three_significant_figures():
    assert ListTotal(12_345, exact=False).shown == 12_300
    assert ListTotal(987, exact=False).shown == 987
    assert ListTotal(1_234_567, exact=False).shown == 1_230_000
    assert ListTotal(12_345, exact=True).shown == 12_345


@pytest.mark.django_db
def test_the_clinicians_api_counts_no_profiles_and_says_whether_its_count_is_exact(hee_staff):
    ClinicianProfileFactory.create_batch(2, shares_with_hee=True)
    api = APIClient()
    api.force_authenticate(hee_staff)

    with CaptureQueriesContext(connection) as queries:
        body = api.get(reverse("talent_api:list_clinicians")).json()

    assert (body["count"], body["count_exact"], body["next"]) == (2, True, None)
    assert not [query for query in queries.captured_queries if "COUNT(" in query["sql"]]


@pytest.mark.django_db
def test_a_training_body_admin_and_hee_staff_each_get_their_own_total(tb_admin, hee_staff, training_body):
    ClinicianProfileFactory.create_batch(
        2, training_body=training_body, shares_with_training_body=True, shares_with_hee=False
    )
    ClinicianProfileFactory.create_batch(3, shares_with_hee=True)
    admin, hee = APIClient(), APIClient()
    admin.force_authenticate(tb_admin)
    hee.force_authenticate(hee_staff)

    assert admin.get(reverse("talent_api:list_clinicians")).json()["count"] == 2
    assert hee.get(reverse("talent_api:list_clinicians")).json()["count"] == 3


@pytest.mark.django_db
def test_national_regional_and_filtered_clinician_lists_each_count_their_own_clinicians(hee_staff, regional_hee_staff):
    london = Region.objects.get(slug="london")
    ClinicianProfileFactory.create_batch(2, shares_with_hee=True, region=london)
    ClinicianProfileFactory.create_batch(3, shares_with_hee=True, region=Region.objects.get(slug="north-west"))
    national, regional = APIClient(), APIClient()
    national.force_authenticate(hee_staff)
    regional.force_authenticate(regional_hee_staff)
    url = reverse("talent_api:list_clinicians")

    assert national.get(url).json()["count"] == 5
    assert regional.get(url).json()["count"] == 2
    assert national.get(url, {"region": "london"}).json()["count"] == 2
    assert national.get(url, {"page": "1"}).json()["count"] == 5


@pytest.mark.django_db
def test_the_api_schema_says_whether_the_clinicians_total_is_exact(client):
    schema = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    clinicians = schema["components"]["schemas"]["PaginatedClinicianList"]["properties"]
    plain = schema["components"]["schemas"]["PaginatedNominationList"]["properties"]
    assert "estimate" in clinicians["count"]["description"] and clinicians["count_exact"]["type"] == "boolean"
    assert "description" not in plain["count"] and "count_exact" not in plain
