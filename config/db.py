"""Database helpers shared by the apps."""

from collections.abc import Iterable, Iterator

from django.db.models import Expression, IntegerField

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
