"""The read replica (config/db.py): what reads from it, what never does, when it is given up on, and its settings.

The replica is the second PostgreSQL database of tests/replica.py; rows put only there (or only on the primary)
show which database answered.
"""

import logging

import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test.utils import CaptureQueriesContext

from accounts.models import Region
from config import db
from config.db import leave_replica, reading_from_replica, replica_lag_seconds
from tests.config.test_settings import PRODUCTION_ENV, manage
from tests.replica import REPLICA, REPLICA_DATABASES, UNREACHABLE_DATABASES, needs_replica


def only_on_replica(slug: str) -> None:
    Region.objects.using(REPLICA).create(name=f"Region {slug}", slug=slug)


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_reads_in_the_block_come_from_the_replica_and_all_others_from_the_primary(replica):
    only_on_replica("only-on-the-replica")

    with reading_from_replica() as reading:
        inside = Region.objects.filter(slug="only-on-the-replica").exists()
    outside = Region.objects.filter(slug="only-on-the-replica").exists()

    assert reading.from_replica and reading.alias == REPLICA
    assert inside and not outside


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_writes_go_to_the_primary_and_what_was_written_is_read_back_from_it(replica):
    """A block never reads its own writes from a copy that may not have them yet; other models still come from
    the replica."""
    only_on_replica("only-on-the-replica")

    with reading_from_replica():
        Region.objects.create(name="Written in the block", slug="written-in-the-block")
        read_back = Region.objects.filter(slug="written-in-the-block").exists()
        replica_only_seen = Region.objects.filter(slug="only-on-the-replica").exists()

    assert Region.objects.using(DEFAULT_DB_ALIAS).filter(slug="written-in-the-block").exists()
    assert not Region.objects.using(REPLICA).filter(slug="written-in-the-block").exists()
    assert read_back and not replica_only_seen


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_after_leaving_the_replica_a_block_reads_from_the_primary(replica):
    only_on_replica("only-on-the-replica")

    with reading_from_replica() as reading:
        before = Region.objects.filter(slug="only-on-the-replica").exists()
        leave_replica()
        after = Region.objects.filter(slug="only-on-the-replica").exists()

    assert before and not after
    assert not reading.from_replica


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_rows_read_after_the_block_for_a_streamed_download_still_come_from_the_replica(replica):
    only_on_replica("only-on-the-replica")

    with reading_from_replica() as reading:
        slugs = reading.iterate(Region.objects.values_list("slug", flat=True).iterator())
    streamed = list(slugs)  # read as a streamed response is: after the view has returned

    assert "only-on-the-replica" in streamed
    assert not Region.objects.filter(slug="only-on-the-replica").exists()


@pytest.mark.django_db
def test_without_a_replica_the_block_reads_the_primary_and_asks_nothing_else(settings):
    """No DATABASE_REPLICA_URL: one database, nothing asked of any other."""
    assert settings.DATABASE_REPLICA_ALIAS is None and settings.DATABASE_ROUTERS == []

    with reading_from_replica() as reading:
        regions = Region.objects.count()

    assert not reading.from_replica and reading.lag_seconds is None
    assert regions == Region.objects.using(DEFAULT_DB_ALIAS).count()


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_a_database_that_is_not_a_standby_cannot_say_how_far_behind_it_is(replica):
    """The stand-in is a primary itself: no lag is measured, so none is shown (the pages still say it is a copy)."""
    assert replica_lag_seconds(REPLICA) is None
    with reading_from_replica() as reading:
        pass
    assert reading.from_replica and reading.lag_seconds is None


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
def test_the_lag_is_asked_once_every_few_seconds_not_once_a_page(replica):
    with CaptureQueriesContext(connections[REPLICA]) as asked:
        for _ in range(3):
            with reading_from_replica():
                pass

    assert len([query for query in asked.captured_queries if "pg_is_in_recovery" in query["sql"]]) == 1


@needs_replica
@pytest.mark.django_db(databases=REPLICA_DATABASES)
@pytest.mark.parametrize(
    ("lag", "read_from_replica", "shown"), [(4.4, True, 4), (300.0, True, 300), (301.0, False, None)]
)
def test_a_replica_further_behind_than_the_limit_is_not_read(
    replica, monkeypatch, caplog, lag, read_from_replica, shown
):
    """The replica answers as a standby that far behind would (the limit is 300 seconds by default)."""
    monkeypatch.setattr(db, "REPLICA_LAG_SQL", f"SELECT {lag}")
    only_on_replica("only-on-the-replica")

    with caplog.at_level(logging.WARNING, logger="config.db"), reading_from_replica() as reading:
        seen = Region.objects.filter(slug="only-on-the-replica").exists()

    assert (reading.from_replica, reading.lag_seconds, seen) == (read_from_replica, shown, read_from_replica)
    assert ("more than 300" in caplog.text) is not read_from_replica


@needs_replica
@pytest.mark.django_db(databases=UNREACHABLE_DATABASES)
def test_an_unreachable_replica_is_not_read_and_the_log_says_why(unreachable_replica, caplog):
    with caplog.at_level(logging.WARNING, logger="config.db"), reading_from_replica() as reading:
        regions = Region.objects.count()

    assert not reading.from_replica
    assert regions == Region.objects.using(DEFAULT_DB_ALIAS).count() > 0
    assert "the replica could not be reached" in caplog.text


# --- Settings -------------------------------------------------------------------------------------------------------

SHOW_REPLICA = (
    "from django.conf import settings\n"
    "replica = settings.DATABASES['replica']\n"
    "print(settings.DATABASE_ROUTERS, settings.DATABASE_REPLICA_ALIAS, settings.DATABASE_REPLICA_MAX_LAG_SECONDS)\n"
    "print(replica['HOST'], replica['NAME'], replica['OPTIONS']['connect_timeout'], replica['OPTIONS']['options'])"
)


def test_a_replica_url_adds_the_replica_and_its_router():
    env = {
        **PRODUCTION_ENV,
        "DATABASE_REPLICA_URL": "postgres://ltt:ltt@replica.example.nhs.uk:5432/ltt",
        "DATABASE_REPLICA_MAX_LAG_SECONDS": "60",
    }

    shown = manage("shell", "-v", "0", "-c", SHOW_REPLICA, env=env)

    assert shown.stdout.splitlines() == [
        "['config.db.ReplicaRouter'] replica 60",
        "replica.example.nhs.uk ltt 3 -c jit=off",
    ], shown.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_REPLICA_URL": "mysql://ltt:ltt@replica.example.nhs.uk/ltt"},
            "DATABASE_REPLICA_URL must be a postgres:// URL of a read replica of DATABASE_URL, not a mysql: URL.",
        ),
        ({"DATABASE_REPLICA_URL": "replica.example.nhs.uk"}, "DATABASE_REPLICA_URL is not a database URL"),
        (
            {"DATABASE_REPLICA_URL": "postgres://ltt:ltt@replica.example.nhs.uk/ltt", "DATABASE_URL": ""},
            "DATABASE_REPLICA_URL is set but DATABASE_URL is not a PostgreSQL database",
        ),
        (
            {"DATABASE_REPLICA_MAX_LAG_SECONDS": "five minutes"},
            "DATABASE_REPLICA_MAX_LAG_SECONDS must be a whole number of seconds above 0, not 'five minutes'.",
        ),
        ({"DATABASE_REPLICA_MAX_LAG_SECONDS": "0"}, "DATABASE_REPLICA_MAX_LAG_SECONDS must be a whole number"),
    ],
)
def test_a_replica_setting_that_cannot_work_stops_the_process_saying_what_is_wrong(env, message):
    result = manage("check", env={**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert message in result.stderr
    assert "ltt:ltt" not in result.stderr.split("ImproperlyConfigured")[-1]  # no password in the message
