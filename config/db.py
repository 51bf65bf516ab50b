"""Database helpers shared by the apps."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.core.signals import setting_changed
from django.db import connections, router
from django.db.models import Expression, IntegerField, Model, QuerySet
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import cached_property

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


# --- Lists whose SQL is compiled once --------------------------------------------------------------------------------

# Compiled pages, per process: (database, time zone, key, first row, end) -> CompiledValues, or None for a list that
# cannot match. Bounded, the least recently read out first.
COMPILED_PAGES_MAX = 512
_compiled_pages: OrderedDict[tuple, "CompiledValues | None"] = OrderedDict()
_compiled_pages_lock = threading.Lock()


@dataclass(frozen=True)
class CompiledValues:
    """A `values()` query compiled to SQL, to run again as it is: its statement, parameters, the names of its columns
    and the conversions the database needs for them (as the ORM makes them: none on PostgreSQL for most columns)."""

    alias: str
    sql: str
    params: tuple
    names: tuple[str, ...]
    converters: dict

    @classmethod
    def of(cls, queryset: QuerySet) -> "CompiledValues | None":
        """None when nothing can match (e.g. `.none()`)."""
        query = queryset.query
        compiler = query.get_compiler(queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        selected = [column for column, _, _ in compiler.select[: len(names)]]
        return cls(queryset.db, sql, tuple(params), names, compiler.get_converters(selected))

    def rows(self) -> list[dict]:
        connection = connections[self.alias]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if self.converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, (functions, expression) in self.converters.items():
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in rows]


class PagedValues:
    """The rows of a `values()` queryset a page (slice) at a time, each page's SQL compiled once per process under
    `key`, for a paginator: on a national list, building and compiling the queryset took as long as running it.

    `key` must name everything the SQL depends on, so that two lists whose SQL can differ never share it: who asks
    (their scope), filters, sort, and the date when the SQL holds one (the database and the time zone are added
    here). `build` makes the queryset, on the database `model` is read from, on a first page and for the total
    (`count()`). Compiled pages are forgotten when a setting changes (tests).
    """

    def __init__(self, build: Callable[[], QuerySet], *, key: str, model: type[Model]):
        self.build = build
        self.key = key
        self.alias = router.db_for_read(model)

    @cached_property
    def queryset(self) -> QuerySet:
        return self.build()

    def count(self) -> int:
        return self.queryset.order_by().count()

    def __getitem__(self, window: slice) -> list[dict]:
        if not isinstance(window, slice):
            raise TypeError("PagedValues is read a page (slice) at a time.")
        # The time zone is part of the SQL (dates worked out by the database, date filters' bounds).
        name = (self.alias, timezone.get_current_timezone_name(), self.key, window.start, window.stop)
        with _compiled_pages_lock:
            known = name in _compiled_pages
            if known:
                _compiled_pages.move_to_end(name)
                compiled = _compiled_pages[name]
        if not known:
            compiled = CompiledValues.of(self.queryset[window])
            with _compiled_pages_lock:
                _compiled_pages[name] = compiled
                while len(_compiled_pages) > COMPILED_PAGES_MAX:
                    _compiled_pages.popitem(last=False)
        return compiled.rows() if compiled is not None else []


@receiver(setting_changed)
def _forget_compiled_pages(**kwargs) -> None:
    with _compiled_pages_lock:
        _compiled_pages.clear()
