"""Database helpers shared by the apps."""

from collections.abc import Iterable, Iterator

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
