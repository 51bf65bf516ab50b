"""Database helpers (config/db.py)."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.models.functions import TruncDate
from django.test.utils import CaptureQueriesContext, override_settings
from django.utils import timezone

from accounts.models import Region
from config import db
from config.db import IntegerLiteral, PagedValues, batches
from talent.models import ClinicianProfile
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def test_an_integer_literal_is_written_into_the_sql_and_filters_like_a_parameter():
    ClinicianProfileFactory(current_interest_level=1)
    ClinicianProfileFactory(current_interest_level=3)
    written_in = ClinicianProfile.objects.filter(current_interest_level__gte=IntegerLiteral(2))

    sql, params = written_in.query.get_compiler(using="default").as_sql()

    assert ">= (2)" in sql
    assert params == ()
    assert list(written_in) == list(ClinicianProfile.objects.filter(current_interest_level__gte=2))


@pytest.mark.parametrize("value", ["1; DROP TABLE talent_clinicianprofile", "2", 2.0, True, None])
def test_an_integer_literal_refuses_anything_but_an_int(value):
    with pytest.raises(TypeError):
        IntegerLiteral(value)


def test_batches_keep_order_and_size():
    assert list(batches(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batches([], 2)) == []


# --- PagedValues ------------------------------------------------------------------------------------------------------


def clinician_values():
    """A values() list with a column the database needs converting (a date worked out from a timestamp)."""
    return (
        ClinicianProfile.objects.order_by("user__full_name", "pk")
        .values("pk", "user__full_name", "region__slug")
        .annotate(joined_on=TruncDate("created_at"))
    )


class Builds:
    """Counts how often a PagedValues had to build (and so compile) its queryset."""

    def __init__(self, make=clinician_values):
        self.make = make
        self.times = 0

    def __call__(self):
        self.times += 1
        return self.make()


def test_paged_values_reads_each_page_as_the_queryset_does():
    ClinicianProfileFactory.create_batch(5)

    paged = PagedValues(clinician_values, key="test|pages as the ORM", model=ClinicianProfile)

    assert paged[0:2] == list(clinician_values()[0:2])
    assert paged[2:4] == list(clinician_values()[2:4])
    assert paged[4:6] == list(clinician_values()[4:6])
    assert isinstance(paged[0:1][0]["joined_on"], date)
    assert paged.count() == 5


def test_a_page_compiled_once_is_read_again_live_without_building_the_queryset():
    first = ClinicianProfileFactory(user__full_name="Ann Ash")
    builds = Builds()
    assert [row["pk"] for row in PagedValues(builds, key="test|live", model=ClinicianProfile)[0:2]] == [first.pk]

    second = ClinicianProfileFactory(user__full_name="Bob Birch")
    again = PagedValues(builds, key="test|live", model=ClinicianProfile)[0:2]

    assert [row["pk"] for row in again] == [first.pk, second.pk]
    assert builds.times == 1
    assert PagedValues(builds, key="test|live", model=ClinicianProfile)[2:4] == []
    assert builds.times == 2  # another page, compiled afresh


def test_lists_under_different_keys_never_share_sql():
    north_west = ClinicianProfileFactory()
    london = ClinicianProfileFactory(region=Region.objects.get(slug="london"))

    def in_region(slug):
        return lambda: clinician_values().filter(region__slug=slug)

    north_west_rows = PagedValues(in_region("north-west"), key="test|north-west", model=ClinicianProfile)[0:10]
    london_rows = PagedValues(in_region("london"), key="test|london", model=ClinicianProfile)[0:10]

    assert [row["pk"] for row in north_west_rows] == [north_west.pk]
    assert [row["pk"] for row in london_rows] == [london.pk]


def test_a_list_that_cannot_match_reads_no_rows():
    ClinicianProfileFactory()
    nothing = PagedValues(lambda: clinician_values().none(), key="test|none", model=ClinicianProfile)

    with CaptureQueriesContext(connection) as queries:
        assert nothing[0:10] == []
        assert nothing[0:10] == []
    assert nothing.count() == 0
    assert len(queries) == 0


def test_compiled_pages_are_forgotten_when_a_setting_changes():
    ClinicianProfileFactory()
    builds = Builds()
    PagedValues(builds, key="test|settings", model=ClinicianProfile)[0:1]

    with override_settings(TIME_ZONE="America/New_York"):  # the date a timestamp falls on depends on it
        PagedValues(builds, key="test|settings", model=ClinicianProfile)[0:1]

    assert builds.times == 2


def test_compiled_pages_are_bounded_and_the_least_recently_read_goes_first(monkeypatch):
    monkeypatch.setattr(db, "COMPILED_PAGES_MAX", 3)
    builds = Builds()

    def page(number: int):
        return PagedValues(builds, key="test|bounded", model=ClinicianProfile)[number : number + 1]

    page(0), page(1), page(2), page(0)  # the first page is read again: the second is now the oldest
    page(3)
    assert builds.times == 4
    page(0)
    assert builds.times == 4
    page(1)
    assert builds.times == 5
    assert len(db._compiled_pages) == 3


def test_a_page_is_compiled_again_in_another_time_zone():
    """The day a clinician joined is worked out in the current time zone, written into the SQL."""
    ClinicianProfileFactory(created_at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC))
    builds = Builds()

    in_london = PagedValues(builds, key="test|zone", model=ClinicianProfile)[0:1]
    with timezone.override("America/New_York"):
        in_new_york = PagedValues(builds, key="test|zone", model=ClinicianProfile)[0:1]

    assert in_london[0]["joined_on"] == date(2026, 7, 1)
    assert in_new_york[0]["joined_on"] == date(2026, 6, 30)


def test_paged_values_is_read_a_page_at_a_time():
    with pytest.raises(TypeError):
        PagedValues(clinician_values, key="test|index", model=ClinicianProfile)[0]
