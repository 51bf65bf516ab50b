"""Totals of long staff lists, remembered for a minute (config/pagination.py)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Region
from config.db import PagedValues
from config.pagination import RememberedCountPaginator, page_navigation
from talent.models import ClinicianProfile
from tests.factories import ClinicianProfileFactory, HEEStaffFactory

pytestmark = pytest.mark.django_db


def test_a_list_that_cannot_match_anything_counts_none():
    page = RememberedCountPaginator(ClinicianProfile.objects.none(), 10).get_page(1)

    assert page.paginator.count == 0
    assert list(page) == []
    assert (page.start_index(), page.end_index()) == (0, 0)


def test_a_total_named_by_its_caller_is_remembered_under_that_name():
    ClinicianProfileFactory.create_batch(2)
    profiles = ClinicianProfile.objects.order_by("pk")
    assert RememberedCountPaginator(profiles, 10, count_key="run 1").count == 2

    ClinicianProfileFactory()

    assert RememberedCountPaginator(profiles, 10, count_key="run 1").count == 2
    assert RememberedCountPaginator(profiles, 10, count_key="run 2").count == 3
    assert RememberedCountPaginator(profiles, 10).count == 3  # named by its SQL: another total


def test_a_plain_list_is_counted_as_it_is_even_with_a_name():
    paginator = RememberedCountPaginator(["a", "b", "c"], 2, count_key="letters")

    assert paginator.count == 3
    assert list(paginator.page(2)) == ["c"]


def test_a_list_compiled_once_has_its_total_remembered_too():
    ClinicianProfileFactory.create_batch(2)

    def pages():
        return PagedValues(
            lambda: ClinicianProfile.objects.order_by("pk").values("pk"), key="all", model=ClinicianProfile
        )

    assert RememberedCountPaginator(pages(), 10, count_key="all").count == 2
    ClinicianProfileFactory()
    assert RememberedCountPaginator(pages(), 10, count_key="all").count == 2
    assert len(RememberedCountPaginator(pages(), 10, count_key="all").page(1)) == 3  # the rows are live


def test_a_page_shows_its_rows_and_numbers_them_even_past_a_remembered_total():
    ClinicianProfileFactory.create_batch(2)
    profiles = ClinicianProfile.objects.order_by("pk")
    assert RememberedCountPaginator(profiles, 10).count == 2
    ClinicianProfileFactory()

    page = RememberedCountPaginator(profiles, 10).get_page(1)

    assert page.paginator.count == 2
    assert len(page) == 3
    assert (page.start_index(), page.end_index()) == (1, 3)
    assert RememberedCountPaginator(profiles, 10).get_page(9).number == 1  # past the end: the last page


def test_the_clinicians_api_total_is_remembered_for_a_minute_and_its_rows_are_live(hee_staff):
    ClinicianProfileFactory.create_batch(2, shares_with_hee=True)
    api = APIClient()
    api.force_authenticate(hee_staff)
    assert api.get(reverse("api_clinician_list")).json()["count"] == 2

    newcomer = ClinicianProfileFactory(shares_with_hee=True)
    body = api.get(reverse("api_clinician_list")).json()

    assert body["count"] == 2
    assert str(newcomer.pk) in {row["id"] for row in body["results"]}
    assert body["next"] is None
    with time_machine.travel(timezone.now() + timedelta(seconds=settings.LIST_COUNT_CACHE_SECONDS + 1)):
        assert api.get(reverse("api_clinician_list")).json()["count"] == 3


def test_a_training_body_admin_and_hee_staff_never_share_a_total(tb_admin, hee_staff, training_body):
    ClinicianProfileFactory.create_batch(
        2, training_body=training_body, shares_with_training_body=True, shares_with_hee=False
    )
    ClinicianProfileFactory.create_batch(3, shares_with_hee=True)
    admin, hee = APIClient(), APIClient()
    admin.force_authenticate(tb_admin)
    hee.force_authenticate(hee_staff)

    assert admin.get(reverse("api_clinician_list")).json()["count"] == 2
    assert hee.get(reverse("api_clinician_list")).json()["count"] == 3
    assert admin.get(reverse("api_clinician_list")).json()["count"] == 2


def test_page_navigation_links_keep_the_address_and_change_only_the_page(rf):
    request = rf.get("/list/", {"search": "Ann & Bo", "page": "10", "sort": "name"})
    page = Paginator(range(500), 10).get_page(10)

    navigation = page_navigation(request, page)

    assert navigation["previous"] == "?search=Ann+%26+Bo&page=9&sort=name"
    assert navigation["next"] == "?search=Ann+%26+Bo&page=11&sort=name"
    numbers = [link.get("number") for link in navigation["links"]]
    assert numbers == [1, None, 8, 9, 10, 11, 12, None, 50]
    current = [link for link in navigation["links"] if link.get("current")]
    assert [(link["number"], link["url"]) for link in current] == [(10, "?search=Ann+%26+Bo&page=10&sort=name")]


def test_page_navigation_has_no_previous_on_the_first_page_nor_next_on_the_last(rf):
    paginator = Paginator(range(20), 10)
    first = page_navigation(rf.get("/list/"), paginator.get_page(1))
    last = page_navigation(rf.get("/list/", {"page": "2"}), paginator.get_page(2))

    assert (first["previous"], first["next"]) == (None, "?page=2")
    assert (last["previous"], last["next"]) == ("?page=1", None)


def test_page_navigation_writes_nhsuk_numbered_pagination_with_the_addresses_escaped(rf):
    request = rf.get("/list/", {"search": "Ann & <Bo>", "page": "10"})
    page = Paginator(range(500), 10).get_page(10)

    html = page_navigation(request, page)["html"]

    assert html.startswith('<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation"')
    assert '<a href="?search=Ann+%26+%3CBo%3E&amp;page=9" class="nhsuk-pagination__previous" rel="prev">' in html
    assert '<a href="?search=Ann+%26+%3CBo%3E&amp;page=11" class="nhsuk-pagination__next" rel="next">' in html
    assert (
        '<li class="nhsuk-pagination__item nhsuk-pagination__item--current"><a class="nhsuk-pagination__link" '
        'href="?search=Ann+%26+%3CBo%3E&amp;page=10" aria-label="Page 10" aria-current="page">10</a></li>'
    ) in html
    assert html.count('aria-current="page"') == 1
    assert html.count("nhsuk-pagination__item--ellipsis") == 2
    assert [int(n) for n in re.findall(r'aria-label="Page (\d+)"', html)] == [1, 8, 9, 10, 11, 12, 50]


def test_page_navigation_has_no_markup_for_a_single_page_nor_arrows_past_the_ends(rf):
    assert page_navigation(rf.get("/list/"), Paginator(range(5), 10).get_page(1))["html"] == ""
    paginator = Paginator(range(20), 10)
    first = page_navigation(rf.get("/list/"), paginator.get_page(1))["html"]
    last = page_navigation(rf.get("/list/"), paginator.get_page(2))["html"]
    assert 'rel="prev"' not in first and 'rel="next"' in first
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_the_unfiltered_clinicians_list_is_remembered_per_person_and_a_filtered_one_apart(
    hee_staff, regional_hee_staff
):
    london = Region.objects.get(slug="london")
    ClinicianProfileFactory.create_batch(2, shares_with_hee=True, region=london)
    ClinicianProfileFactory.create_batch(3, shares_with_hee=True, region=Region.objects.get(slug="north-west"))
    national, regional = APIClient(), APIClient()
    national.force_authenticate(hee_staff)
    regional.force_authenticate(regional_hee_staff)
    url = reverse("api_clinician_list")

    assert national.get(url).json()["count"] == 5
    assert regional.get(url).json()["count"] == 2
    assert national.get(url, {"region": "london"}).json()["count"] == 2
    assert national.get(url, {"page": "1"}).json()["count"] == 5
    other_national = APIClient()
    other_national.force_authenticate(HEEStaffFactory())
    ClinicianProfileFactory(shares_with_hee=True, region=london)
    assert other_national.get(url).json()["count"] == 6  # their own total, counted now
    assert national.get(url).json()["count"] == 5  # remembered for up to a minute
