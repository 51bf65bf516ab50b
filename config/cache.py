"""Two tiers of cache: this process's memory, then the shared cache (Redis when CACHE_URL is set)."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches

T = TypeVar("T")


def process_cache():
    """This web process's own memory (the "process" cache): no network round trip, gone with the process."""
    return caches["process"]


def remembered(key: str, seconds: int, compute: Callable[[], T]) -> T:
    """The value under `key`, computed at most once per `seconds` across all processes and read without a network
    round trip when this process has it: from this process's memory, else from the shared cache (another process
    computed it), else computed now and kept in both. Each copy expires when the first did, so a value is never
    older than `seconds`. For values that are right for as long as they are kept (a count allowed to be a minute
    old, a page of one roll-up run): a process's copy is never told of a change."""
    local = process_cache()
    entry = local.get(key)
    if entry is None:
        entry = cache.get(key)
        if entry is None:
            entry = (time.time() + seconds, compute())
            cache.set(key, entry, seconds)
        remaining = entry[0] - time.time()
        if remaining <= 0:
            return entry[1]
        local.set(key, entry, remaining)
    return entry[1]
