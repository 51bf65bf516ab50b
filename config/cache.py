"""Two tiers of cache: this process's memory, then the shared cache (Redis when CACHE_URL is set)."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

T = TypeVar("T")


class ClientPerPoolRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, and redis-py fills in some 170 reply handlers each time:
    a fifth of a cache read here. One per connection pool does the same work (a redis.Redis takes a connection from
    its pool for each command, so it is safe to share between threads)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache (settings.CACHES when CACHE_URL is set), with ClientPerPoolRedisCacheClient."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPoolRedisCacheClient


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
        remaining = min(entry[0] - time.time(), seconds)  # another host's clock may be ahead
        if remaining <= 0:
            return entry[1]
        local.set(key, entry, remaining)
    return entry[1]
