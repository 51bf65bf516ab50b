"""Health endpoints for the load balancer and the orchestrator."""

import logging

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu import Connection

logger = logging.getLogger(__name__)
UNREACHABLE = "unreachable"


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process is alive. No I/O, so a slow database never restarts healthy web workers."""
    return JsonResponse({"status": "ok"})


def _check_database() -> str:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # noqa: BLE001 - any failure means not ready
        logger.warning("Readiness: database unreachable: %s", error)
        return UNREACHABLE
    return "ok"


def _check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "not configured (tasks run in-process)"
    try:
        # One try with the Redis timeouts (settings.CELERY_BROKER_TRANSPORT_OPTIONS): a probe that hangs on a silent
        # broker would be killed by the load balancer rather than answered.
        with Connection(
            settings.CELERY_BROKER_URL,
            connect_timeout=settings.REDIS_SOCKET_CONNECT_TIMEOUT,
            transport_options=settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        ) as connection:
            connection.ensure_connection(max_retries=0)
    except Exception as error:  # noqa: BLE001
        logger.warning("Readiness: broker unreachable: %s", error)
        return UNREACHABLE
    return "ok"


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: the database and (when configured) the task broker answer. 503 names what failed."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    failing = [name for name, state in checks.items() if state == UNREACHABLE]
    if failing:
        return JsonResponse({"status": "unavailable", "failing": failing, "checks": checks}, status=503)
    return JsonResponse({"status": "ok", "checks": checks})


class HealthCheckMiddleware:
    """Answer /healthz and /readyz before host validation and the HTTPS redirect.

    Probes come from the load balancer or orchestrator over plain HTTP to an internal address, which is not in
    ALLOWED_HOSTS; the answers carry no personal data.
    """

    ROUTES = {"/healthz": healthz, "/readyz": readyz}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        view = self.ROUTES.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
