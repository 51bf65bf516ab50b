"""Input no person types: control characters and bodies too large are refused before any view sees them.

PostgreSQL cannot store a NUL and no field of the service has a use for other control characters, so rather than
each field guarding itself (and a forgotten one answering 500), the middleware refuses them in the path, the query
string and form bodies, and the API's parsers (config.parsers) in JSON and form bodies. Tab, carriage return and line
feed stay allowed where people write free text.
"""

import re

from django.conf import settings
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse, QueryDict

from config import error_views

CONTROL_CHARACTERS_MESSAGE = "Remove the control characters (such as NUL) from this text."
# C0 and C1 controls and DEL, except tab, line feed and carriage return; lone surrogates, which no encoding can store.
_CONTROL_IN_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_IN_PATH = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class ControlCharacters(BadRequest):
    def __init__(self, field: str | None = None):
        super().__init__(CONTROL_CHARACTERS_MESSAGE)
        self.field = field

    @property
    def api_body(self) -> dict:
        """What the API's 400 says: it names the caller's own field, so it tells nothing of the server."""
        return {self.field: [CONTROL_CHARACTERS_MESSAGE]} if self.field else {"detail": CONTROL_CHARACTERS_MESSAGE}


def has_control_characters(text: str) -> bool:
    return _CONTROL_IN_TEXT.search(text) is not None


def field_with_control_characters(data: QueryDict) -> str | None:
    """The first field whose name or a value holds control characters, or None."""
    for name, values in data.lists():
        if has_control_characters(name) or any(has_control_characters(str(value)) for value in values):
            return name
    return None


def body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads it: no body


class HostileInputMiddleware:
    """413 for a body over REQUEST_BODY_MAX_BYTES; 400 (through handler400, so JSON under /api/) for control
    characters in the path, the query string or a form body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if body_size(request) > settings.REQUEST_BODY_MAX_BYTES:
            return error_views.request_too_large(request)
        if _CONTROL_IN_PATH.search(request.path_info):
            raise ControlCharacters()
        if (field := _field_with_control_characters(request)) is not None:
            raise ControlCharacters(field)
        return self.get_response(request)


def _field_with_control_characters(request: HttpRequest) -> str | None:
    if (field := field_with_control_characters(request.GET)) is not None:
        return field
    # Django parses form bodies of POST only; the API's parsers check the others.
    if request.method == "POST" and request.content_type in _FORM_TYPES:
        return field_with_control_characters(request.POST)
    return None
