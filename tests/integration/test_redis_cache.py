"""The shared cache as deployed (config.cache.RedisCache) against the real Redis the suite uses as its broker."""

import uuid

import pytest
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
def test_signed_in_sessions_are_read_from_redis_and_end_with_sign_out(redis_cache, settings, client, clinician):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"  # as with CACHE_URL set
    client.force_login(clinician)
    assert client.get(reverse("talent:show_clinician_home")).status_code == 200
    key = f"django.contrib.sessions.cached_db{client.cookies['sessionid'].value}"
    assert redis_cache.get(key)["_auth_user_id"] == str(clinician.pk)

    client.post(reverse("accounts:sign_out"))

    assert redis_cache.get(key) is None
    assert client.get(reverse("talent:show_clinician_home")).status_code == 302
