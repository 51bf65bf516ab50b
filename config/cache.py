"""The shared cache (Redis when CACHE_URL is set)."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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
    """Django's Redis cache (settings.CACHES when CACHE_URL is set), with ClientPerPoolRedisCacheClient."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ClientPerPoolRedisCacheClient
