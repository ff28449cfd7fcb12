import os
import uuid

import pytest

from accessportal.cache import RedisCache


def _cache(location: str = "redis://127.0.0.1:6379/15") -> RedisCache:
    return RedisCache(location, {"KEY_PREFIX": uuid.uuid4().hex})


def test_one_client_per_pool_not_one_per_operation():
    """Building a redis-py client costs about 0.2 ms (its response callbacks); Django builds one per
    cache operation. No connection is opened here: the clients are built lazily around the pool."""
    cache = _cache()._cache
    client = cache.get_client()
    assert cache.get_client("a-key") is client
    assert cache.get_client(write=True) is client  # one server: reads and writes share the pool
    assert client.connection_pool is cache._get_connection_pool(write=False)


def test_each_server_keeps_its_own_client():
    cache = _cache("redis://127.0.0.1:6379/15,redis://127.0.0.1:6379/14")._cache
    writer = cache.get_client(write=True)
    reader = cache.get_client()
    assert writer is not reader
    assert writer.connection_pool is cache._get_connection_pool(write=True)
    assert cache.get_client(write=True) is writer
    assert cache.get_client() is reader  # the only read server


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs a Redis server (REDIS_URL)")
def test_the_reused_client_stores_and_reads():
    cache = _cache(os.environ["REDIS_URL"])
    cache.set("sleutel", {"waarde": 1}, 30)
    cache.set("sleutel", {"waarde": 2}, 30)
    assert cache.get("sleutel") == {"waarde": 2}
    cache.delete("sleutel")
    assert cache.get("sleutel", "weg") == "weg"
