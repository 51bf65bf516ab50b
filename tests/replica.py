"""A second PostgreSQL database standing in for a read replica, and the fixtures that read from it.

This PostgreSQL server cannot feed a real replica to the suite: a streaming standby needs a role that may replicate,
and logical replication needs `wal_level = logical` and a role that may subscribe; neither is so here (nor on a
usual CI database). The stand-in is a second test database on the same server (tests/conftest.py names it
"replica"), created by the run when a test asks for it with `REPLICA_DATABASES`. Its "replication" is
`replica_copy()`: the primary's rows copied at the moment a test chooses. A test that then changes the primary has
a copy behind it, as a replica that lags is, and can tell from a page which database it read.
"""

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from config.db import replica_checks_forget
from pipeline.models import PipelineChange

REPLICA = "replica"
UNREACHABLE = "unreachable_replica"
# What a test that reads from the stand-in asks pytest-django for (only the primary where there is no stand-in: the
# tests then skip with `needs_replica`).
REPLICA_DATABASES = [DEFAULT_DB_ALIAS, REPLICA] if REPLICA in django_settings.DATABASES else [DEFAULT_DB_ALIAS]
# What a test of an unreachable replica asks for (`unreachable_replica`).
UNREACHABLE_DATABASES = (
    [DEFAULT_DB_ALIAS, UNREACHABLE] if UNREACHABLE in django_settings.DATABASES else [DEFAULT_DB_ALIAS]
)
needs_replica = pytest.mark.skipif(
    REPLICA not in django_settings.DATABASES, reason="the replica's stand-in needs DATABASE_URL to be PostgreSQL"
)

# The service's own tables: all the pipeline pages read.
COPIED_APPS = ("accounts", "regulators", "talent", "pipeline", "pathways", "population")


def _copied_models() -> list:
    """The apps' tables, with the many-to-many tables between them (not those to Django's own permissions, whose
    ids each database numbers itself)."""
    models = []
    for label in COPIED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.managed or model._meta.proxy:
                continue
            targets = {field.related_model._meta.app_label for field in model._meta.fields if field.is_relation}
            if model._meta.auto_created and not targets <= set(COPIED_APPS):
                continue
            if model is PipelineChange:
                continue  # only the refresh reads the change log; the stand-in's triggers write its own as rows land
            models.append(model)
    return models


def replica_copy() -> None:
    """Make the stand-in a copy of the primary as it is now (its rows replace the stand-in's)."""
    models = _copied_models()
    replica = connections[REPLICA]
    tables = ", ".join(replica.ops.quote_name(model._meta.db_table) for model in models)
    # One transaction, so foreign keys are checked once every table is copied, in whatever order.
    with transaction.atomic(using=REPLICA), replica.cursor() as cursor:
        cursor.execute(f"TRUNCATE {tables} CASCADE")
        for model in models:
            rows = list(model._base_manager.using(DEFAULT_DB_ALIAS).order_by())
            model._base_manager.using(REPLICA).bulk_create(rows, batch_size=500)
        cursor.execute(f"TRUNCATE {replica.ops.quote_name(PipelineChange._meta.db_table)}")
        for sql in replica.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


@pytest.fixture
def replica(settings):
    """The pipeline reads from the stand-in, as with DATABASE_REPLICA_URL set; each test asks afresh how far behind
    it is."""
    settings.DATABASE_REPLICA_ALIAS = REPLICA
    settings.DATABASE_ROUTERS = ["config.db.ReplicaRouter"]
    replica_checks_forget()
    yield REPLICA
    replica_checks_forget()


@pytest.fixture
def unreachable_replica(settings, monkeypatch):
    """A replica nobody answers at: nothing listens on port 1 here, so the connection is refused at once."""
    settings.DATABASE_REPLICA_ALIAS = UNREACHABLE
    settings.DATABASE_ROUTERS = ["config.db.ReplicaRouter"]
    monkeypatch.setitem(connections[UNREACHABLE].settings_dict, "PORT", "1")
    connections[UNREACHABLE].close()
    replica_checks_forget()
    yield UNREACHABLE
    replica_checks_forget()
    connections[UNREACHABLE].close()
