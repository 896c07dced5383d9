"""Django's Redis cache, with one Redis client (and so one connection pool) per process.

Django keeps its cache objects per context, and under ASGI each request runs in a context of
its own, so each request made a new cache object; Django's Redis client keeps its connection
pool on that object, so each request also opened a new connection to Redis and left the old
one for the garbage collector. Here every cache object of the same settings shares one client.
"""

from __future__ import annotations

import threading

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.utils.functional import cached_property
from redis.exceptions import RedisError

_clients: dict[tuple, RedisCacheClient] = {}
_lock = threading.Lock()


class SharedRedisCache(RedisCache):
    @cached_property
    def _cache(self) -> RedisCacheClient:
        key = (tuple(self._servers), repr(sorted(self._options.items())))
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = self._class(self._servers, **self._options)
                # Made here, under the lock: the client's own lazy set-up is not thread-safe.
                for write in (True, False):
                    client._get_connection_pool(write)
                _clients[key] = client
        return client


# What a cache out of reach raises: Redis's own errors, or the socket's.
CACHE_ERRORS = (RedisError, OSError)


def redis_cache() -> RedisCache | None:
    """The default cache when it is Redis, for what Django's cache API cannot say in one
    command (a count with its window, an expiry in milliseconds); ``None`` for any other."""
    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None
