"""The shared cache as deployed (config.cache.RedisCache) against the real Redis the suite uses as its broker."""

import socket
import time
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.integration


@pytest.fixture
def redis_cache(settings):
    if not settings.CELERY_BROKER_URL:
        pytest.fail("Integration tests need Redis: run them with `make test` (CELERY_BROKER_URL set).")
    settings.CACHES = {
        # A key prefix of its own on the broker's server: nothing else's keys are touched.
        "default": {
            "BACKEND": "config.cache.RedisCache",
            "LOCATION": settings.CELERY_BROKER_URL,
            "KEY_PREFIX": f"test-cache-{uuid.uuid4()}",
        },
    }
    yield cache
    cache.delete("answer")


def test_the_redis_cache_keeps_reads_and_forgets_values_with_one_client(redis_cache):
    redis_cache.set("answer", {"count": 42}, 30)

    assert redis_cache.add("answer", "another", 30) is False
    assert redis_cache.get("answer") == {"count": 42}
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)  # one client, reused
    redis_cache.delete("answer")
    assert redis_cache.get("answer") is None


@pytest.mark.django_db
def test_sessions_are_kept_in_the_database_not_in_redis_and_end_with_sign_out(redis_cache, client, clinician):
    """A signed-in page needs no cache, and a sign-out cannot be undone by a copy the cache kept."""
    client.force_login(clinician)
    assert client.get(reverse("talent:show_clinician_home")).status_code == 200
    session_key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=session_key).exists()
    assert redis_cache.get(f"django.contrib.sessions.cached_db{session_key}") is None

    client.post(reverse("accounts:sign_out"))

    assert not Session.objects.filter(session_key=session_key).exists()
    assert client.get(reverse("talent:show_clinician_home")).status_code == 302


def test_a_silent_redis_is_an_empty_cache_that_costs_one_timeout(settings, caplog):
    """A Redis that accepts connections and never answers (hung): reads miss, writes are dropped, `add` succeeds,
    and after the first timeout the cache is not asked again for a while, so a page waits once."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.CACHES = {
            "default": {
                "BACKEND": "config.cache.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{silent.getsockname()[1]}/0",
                "OPTIONS": settings.REDIS_CLIENT_OPTIONS,
            }
        }
        began = time.monotonic()
        assert cache.get("answer", "unknown") == "unknown"
        assert cache.add("answer", 1, 30) is True
        assert cache.get_or_set("total", lambda: 42, 30) == 42
        cache.set("answer", 2, 30)
        assert cache.incr("count") == 1
        assert cache.get_many(["answer", "total"]) == {}
        took = time.monotonic() - began

    assert settings.REDIS_SOCKET_TIMEOUT <= took < settings.REDIS_SOCKET_TIMEOUT + 0.5
    assert [record.levelname for record in caplog.records if record.name == "config.cache"] == ["WARNING"]
