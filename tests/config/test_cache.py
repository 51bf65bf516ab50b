"""Two tiers of cache (config/cache.py): this process's memory in front of the shared cache."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from config.cache import process_cache, remembered

SHARED_AND_PROCESS = {
    # As in a deployment with CACHE_URL: the shared cache and the process's memory are separate stores.
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shared-for-test"},
    "process": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process-for-test"},
}


@pytest.fixture
def two_tiers(settings):
    settings.CACHES = SHARED_AND_PROCESS
    cache.clear()
    process_cache().clear()
    yield
    cache.clear()
    process_cache().clear()


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        return f"made {self.calls} time(s)"


def test_a_value_is_made_once_then_read_from_this_process_without_the_shared_cache(two_tiers):
    make = Counter()
    assert remembered("key", 60, make) == "made 1 time(s)"

    cache.clear()  # the shared copy gone: this process still has its own

    assert remembered("key", 60, make) == "made 1 time(s)"
    assert make.calls == 1


def test_another_process_reads_the_shared_value_instead_of_making_it_again(two_tiers):
    make = Counter()
    remembered("key", 60, make)

    process_cache().clear()  # as a process that never asked

    assert remembered("key", 60, make) == "made 1 time(s)"
    assert make.calls == 1


def test_a_copy_taken_late_from_the_shared_cache_expires_when_the_first_did(two_tiers):
    """A total allowed to be a minute old is never two minutes old because a second process copied it late."""
    make = Counter()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        remembered("key", 60, make)
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        process_cache().clear()
        assert remembered("key", 60, make) == "made 1 time(s)"  # copied into this process with 10 s left
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        assert remembered("key", 60, make) == "made 2 time(s)"
