"""Health and readiness endpoints."""

import socket
import time

import pytest
from django.db import connection


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries, db):
    """The liveness check does no I/O."""
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_answers_200_when_database_and_broker_answer(client, settings):
    """With PostgreSQL and Redis up, the service says it is ready and names what it checked."""
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["database"] == "ok"
    expected_broker = "ok" if settings.CELERY_BROKER_URL else "not configured (tasks run in-process)"
    assert body["checks"]["broker"] == expected_broker


def test_readyz_answers_503_naming_the_database_when_it_is_unreachable(client, django_db_blocker):
    """A database that cannot be reached makes the service not ready, and the answer says so."""
    with django_db_blocker.unblock():
        original = dict(connection.settings_dict)
        connection.close()
        if connection.vendor == "sqlite":
            connection.settings_dict["NAME"] = "/nonexistent/directory/db.sqlite3"
        else:
            connection.settings_dict["HOST"], connection.settings_dict["PORT"] = "127.0.0.1", "1"
        try:
            response = client.get("/readyz")
        finally:
            connection.close()
            connection.settings_dict.clear()
            connection.settings_dict.update(original)

    assert response.status_code == 503
    assert response.json()["failing"] == ["database"]


@pytest.mark.django_db
def test_readyz_answers_503_naming_the_broker_when_it_is_unreachable(client, settings):
    """A broker that cannot be reached makes the service not ready, and the answer names it."""
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]


@pytest.mark.django_db
def test_readyz_answers_503_within_two_seconds_when_the_broker_hangs(client, settings):
    """A Redis that accepts the connection and never answers (hung, not down): the probe still answers at once."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{silent.getsockname()[1]}/0"
        began = time.monotonic()
        response = client.get("/readyz")
        took = time.monotonic() - began

    assert response.status_code == 503
    assert response.json()["failing"] == ["broker"]
    assert took < 2


@pytest.mark.django_db
def test_probes_answer_from_internal_addresses_over_plain_http(client, settings):
    """A load balancer probing by IP (not an allowed host), over HTTP, with HEAD, still gets an answer."""
    settings.ALLOWED_HOSTS = ["leadership-talent.example.nhs.uk"]
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.head("/readyz", HTTP_HOST="10.0.3.7:8000").status_code == 200
    assert client.get("/sign-in/", HTTP_HOST="10.0.3.7:8000").status_code == 400  # everything else is guarded
