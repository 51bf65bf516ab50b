"""Database helpers shared by the apps, and the read replica (`reading_from_replica()`)."""

import logging
import time as clock
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.models import Expression, IntegerField
from django.template.response import SimpleTemplateResponse

# With server-side binding (docs/adr/0006) one statement carries at most 65,535 parameters, so a list of values
# looked up with `__in`, or rows deleted by id, go in batches well under that.
IN_BATCH_SIZE = 10_000


def batches(values: Iterable, size: int | None = None) -> Iterator[list]:
    """`values` in lists of at most `size` (IN_BATCH_SIZE by default), in order."""
    size = size or IN_BATCH_SIZE
    batch = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class IntegerLiteral(Expression):
    """An integer written into the SQL itself rather than sent as a parameter.

    For a filter on a small set of values (a pipeline stage) where PostgreSQL would plan the statement again on every
    run: with `>= $1` it judges its one generic plan dearer than a plan for the value at hand, so with prepared
    statements (docs/adr/0006) it keeps planning. Written in, each value makes its own statement, planned once per
    connection. Only ever an `int`, so nothing a user types can reach the SQL.
    """

    output_field = IntegerField()

    def __init__(self, value: int):
        if type(value) is not int:  # bool is an int too, but not a stage
            raise TypeError(f"IntegerLiteral takes an int, not {type(value).__name__}.")
        super().__init__()
        self.value = value

    def as_sql(self, compiler, connection):
        return str(self.value), []


# --- Reading from a replica ------------------------------------------------------------------------------------------
#
# With DATABASE_REPLICA_URL set (config/settings.py), the talent-pipeline pages, their API and exports read from a
# PostgreSQL read replica: `reading_from_replica()` decides once per request whether the replica is reachable and
# close enough behind, and `ReplicaRouter` sends that block's reads there. Every write, and every read outside such
# a block, stays on the primary; within a block, a model written there is read back from the primary.

logger = logging.getLogger(__name__)

# How long one process trusts what it last learnt of the replica's lag (or that it could not be reached), so a busy
# page asks at most once in that time rather than once per view.
REPLICA_CHECK_SECONDS = 5

# Seconds the replica is behind: None on a database that is not a standby (a primary, or a logical copy, which cannot
# say). Caught up with all it has received counts as 0: on a quiet primary the last replayed transaction grows old
# while the copy is current.
REPLICA_LAG_SQL = """
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN NULL
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE GREATEST(0, EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()))
    END
"""


@dataclass
class ReplicaReading:
    """What a `reading_from_replica()` block reads from: `alias` is the replica's, or None for the primary (not
    configured, unreachable or too far behind, or left with `leave_replica()`). `lag_seconds` is the replica's lag
    when it is read (None when it cannot be measured)."""

    alias: str | None = None
    lag_seconds: int | None = None
    written: set[str] = field(default_factory=set)

    @property
    def from_replica(self) -> bool:
        return self.alias is not None

    def iterate(self, items: Iterable) -> Iterator:
        """`items` read step by step inside this block's choice, for a streamed response whose rows are read after
        the view has returned."""
        iterator = iter(items)
        while True:
            token = _reading.set(self)
            try:
                item = next(iterator)
            except StopIteration:
                return
            finally:
                _reading.reset(token)
            yield item


_reading: ContextVar[ReplicaReading | None] = ContextVar("replica_reading", default=None)
# alias -> (monotonic time of the check, whether to read from it, its lag in seconds or None)
_checks: dict[str, tuple[float, bool, float | None]] = {}


def replica_lag_seconds(alias: str) -> float | None:
    """How far behind its primary the database `alias` is, in seconds (None when it is not a standby). Raises the
    database's error when it cannot be reached."""
    with connections[alias].cursor() as cursor:
        cursor.execute(REPLICA_LAG_SQL)
        lag = cursor.fetchone()[0]
    return None if lag is None else float(lag)


def replica_checks_forget() -> None:
    """Forget what this process learnt of the replica, so the next block asks again."""
    _checks.clear()


def _replica_usable(alias: str) -> tuple[bool, float | None]:
    """Whether to read from the replica, and its lag; asked at most every REPLICA_CHECK_SECONDS (and logged then)."""
    checked = _checks.get(alias)
    if checked and clock.monotonic() - checked[0] < REPLICA_CHECK_SECONDS:
        return checked[1], checked[2]
    usable, lag = True, None
    try:
        lag = replica_lag_seconds(alias)
    except DatabaseError as problem:
        usable = False
        logger.warning("Reading from the primary database: the replica could not be reached (%s).", problem)
        # A connection that failed is not reused; the next check opens a new one.
        with suppress(DatabaseError):
            connections[alias].close()
    else:
        limit = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
        if lag is not None and lag > limit:
            usable = False
            logger.warning(
                "Reading from the primary database: the replica is %d seconds behind (more than %d).", lag, limit
            )
    _checks[alias] = (clock.monotonic(), usable, lag)
    return usable, lag


def _replica_to_read() -> ReplicaReading:
    alias = settings.DATABASE_REPLICA_ALIAS
    if not alias:
        return ReplicaReading()
    usable, lag = _replica_usable(alias)
    if not usable:
        return ReplicaReading()
    return ReplicaReading(alias=alias, lag_seconds=None if lag is None else round(lag))


@contextmanager
def reading_from_replica() -> Iterator[ReplicaReading]:
    """Reads in this block go to the read replica when one is configured, reachable and no more than
    DATABASE_REPLICA_MAX_LAG_SECONDS behind; otherwise to the primary, as without a replica. Writes always go to the
    primary. For pages whose figures may be a few seconds old: never around a read of something the request has
    just written with raw SQL (`leave_replica()` first). Within another such block, it keeps that block's choice."""
    current = _reading.get()
    if current is not None:
        yield current
        return
    reading = _replica_to_read()
    token = _reading.set(reading)
    try:
        yield reading
    finally:
        _reading.reset(token)


def leave_replica() -> None:
    """The rest of the current `reading_from_replica()` block reads from the primary: for a request about to read
    what it has just written (the replica may not have it yet)."""
    reading = _reading.get()
    if reading is not None:
        reading.alias = None
        reading.lag_seconds = None


class ReplicaRouter:
    """Installed when DATABASE_REPLICA_URL is set: reads inside `reading_from_replica()` go to the replica, except
    of a model the block has written; everything else, writes included, goes to the primary."""

    def db_for_read(self, model, **hints) -> str:
        reading = _reading.get()
        if reading is not None and reading.alias and model._meta.label_lower not in reading.written:
            return reading.alias
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints) -> str:
        reading = _reading.get()
        if reading is not None:
            reading.written.add(model._meta.label_lower)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # The replica holds the same rows as the primary, so an object read from either may point at the other's.
        databases = {DEFAULT_DB_ALIAS, settings.DATABASE_REPLICA_ALIAS}
        return True if {obj1._state.db, obj2._state.db} <= databases else None


class ReadingFromReplicaMixin:
    """A view that reads from the replica (`reading_from_replica()`) once its permission check has passed: put it
    after the permission mixin. The page is rendered, and a streamed download read, inside the same choice; the
    view finds it in `self.replica_reading` (the template in `view.replica_reading`)."""

    replica_reading: ReplicaReading | None = None

    def dispatch(self, request, *args, **kwargs):
        with reading_from_replica() as self.replica_reading:
            response = super().dispatch(request, *args, **kwargs)
            if isinstance(response, SimpleTemplateResponse):
                response.render()
        if response.streaming:
            response.streaming_content = self.replica_reading.iterate(response.streaming_content)
        return response
