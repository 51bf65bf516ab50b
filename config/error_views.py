"""NHS.UK-styled error pages; under /api/ the same errors answer JSON, as the API's own views do (config.api), so a
caller never gets a page where it expects data."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string

SERVER_ERROR = "Something went wrong on our side. Try again later."
BAD_REQUEST = "Bad request: check the address, the query and what you sent."
FORBIDDEN = "You do not have permission to perform this action."
NOT_FOUND = "Not found."
TOO_LARGE = "The request body is too large."


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": FORBIDDEN}, status=403)
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": NOT_FOUND}, status=404)
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    # No request context: the failure may be in a context processor or the database.
    return HttpResponse(render_to_string("errors/500.html"), status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _is_api(request):
        # Only an answer written for callers is repeated; other messages may describe the server.
        return JsonResponse(getattr(exception, "api_body", {"detail": BAD_REQUEST}), status=400)
    return render(request, "errors/400.html", status=400)


def request_too_large(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    return render(request, "errors/413.html", status=413)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Usually a form left open too long: say so, and how to carry on."""
    return render(request, "errors/csrf.html", status=403)
