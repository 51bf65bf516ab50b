"""The shared cache (Redis when CACHE_URL is set)."""

import logging
import time

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)


class ClientPerPoolRedisCacheClient(RedisCacheClient):
    """Django makes a new redis.Redis for every cache call, and redis-py fills in some 170 reply handlers each time.
    One per connection pool does the same work (a redis.Redis takes a connection from its pool for each command, so
    it is safe to share between threads)."""

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
    """Django's Redis cache (settings.CACHES when CACHE_URL is set), with ClientPerPoolRedisCacheClient.

    While Redis cannot be reached it answers as an empty cache: reads miss, writes are dropped, `add` succeeds and
    counts start afresh. Everything kept here can be computed again (list totals, rendered figures) or let through
    (throttle counts: the lock-out, in the database, still guards each account), so no request fails for want of
    it. After a failure it stops asking for REDIS_RETRY_SECONDS, so a page that reads the cache several times waits
    out one timeout, not one per read.
    """

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPoolRedisCacheClient
        self._unreachable_until = 0.0

    def _unless_unreachable(self, fallback, operation, *args):
        if time.monotonic() < self._unreachable_until:
            return fallback
        try:
            return operation(*args)
        except (RedisConnectionError, RedisTimeoutError):
            self._unreachable_until = time.monotonic() + settings.REDIS_RETRY_SECONDS
            logger.warning(
                "The cache is unreachable: answering as an empty cache (nothing remembered, throttles let requests "
                "through) for the next %s s",
                settings.REDIS_RETRY_SECONDS,
                exc_info=True,
            )
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_unreachable(True, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._unless_unreachable(default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._unless_unreachable(None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_unreachable(False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._unless_unreachable(False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._unless_unreachable({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._unless_unreachable(False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        return self._unless_unreachable(delta, super().incr, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._unless_unreachable(list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        self._unless_unreachable(None, super().delete_many, keys, version)

    def clear(self):
        return self._unless_unreachable(False, super().clear)
