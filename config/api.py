"""What every app's API shares: the one DRF exception handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]), the
409 error, the error responses the schema documents, and named enum fields. The parsers are in config.parsers.

Every answer of the API is JSON, errors included: a service's DomainError answers 400 naming its field (409 when it
is a conflict), Django's own errors answer as DRF's, and anything unexpected a logged 500 `{"detail": ...}`.
"""

import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.utils.log import log_response
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from config.error_views import SERVER_ERROR
from config.errors import DomainError

logger = logging.getLogger(__name__)

# --- Errors ----------------------------------------------------------------------------------------------------------


class Conflict(exceptions.APIException):
    """409: the request conflicts with the record's current state. `details` are added to the body beside `detail`
    (a nomination's current state, for one)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "This conflicts with the current state of the record."
    default_code = "conflict"

    def __init__(self, detail=None, code=None, *, details: dict | None = None):
        super().__init__(detail, code)
        self.details = details or {}


def api_error(error: DomainError, view=None) -> exceptions.APIException:
    """A service's DomainError as the API answers it: 409 for a conflict, with whatever the view adds
    (`domain_conflict_details()`); else 400 naming the field, or the view's `domain_error_field` when the error names
    none."""
    if error.conflict:
        details = view.domain_conflict_details() if hasattr(view, "domain_conflict_details") else {}
        return Conflict(error.message, details=details)
    field = error.field or getattr(view, "domain_error_field", api_settings.NON_FIELD_ERRORS_KEY)
    return exceptions.ValidationError({field: [error.message]})


def exception_handler(exc: Exception, context: dict) -> Response:
    """Every error as JSON. DRF answers its own exceptions and Django's Http404 and PermissionDenied."""
    view = context.get("view")
    if isinstance(exc, DomainError):
        exc = api_error(exc, view)
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    response = drf_exception_handler(exc, context)
    if response is not None:
        if isinstance(exc, Conflict):
            response.data.update(exc.details)
        return response
    return server_error(exc, context.get("request"))


def server_error(exc: Exception, request) -> Response:
    """A JSON 500 for an unexpected error: logged with its traceback, and signalled as Django does for one it
    catches itself (error reporting listens there). Whatever it wrote is rolled back."""
    set_rollback()
    response = Response({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    django_request = getattr(request, "_request", request)
    got_request_exception.send(sender=None, request=django_request)
    path = django_request.path if django_request is not None else ""
    log_response("Internal Server Error: %s", path, response=response, request=django_request, exception=exc)
    return response


# The error answers, as the schema documents them.
ERROR_RESPONSES = {
    400: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description="Bad input: an object mapping each field name (or `non_field_errors`) to a list of messages, "
        'or `{"detail": ...}` for a body that is not JSON.',
    ),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description='Not signed in: `{"detail": ...}`.'),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description='Your role may not use this endpoint: `{"detail": ...}`.'),
}
NOT_FOUND = {404: OpenApiResponse(OpenApiTypes.OBJECT, description='Not found (or not yours): `{"detail": ...}`.')}
CONFLICT = {
    409: OpenApiResponse(OpenApiTypes.OBJECT, description='Conflicts with the current state: `{"detail": ...}`.')
}

TOO_LARGE = {
    413: OpenApiResponse(
        OpenApiTypes.OBJECT, description='The body is over `REQUEST_BODY_MAX_BYTES`: `{"detail": ...}`.'
    )
}
UNSUPPORTED_MEDIA_TYPE = {
    415: OpenApiResponse(
        OpenApiTypes.OBJECT, description='The body is not JSON or a form the operation reads: `{"detail": ...}`.'
    )
}
THROTTLED = {429: OpenApiResponse(OpenApiTypes.OBJECT, description='Too many requests, try later: `{"detail": ...}`.')}


class AutoSchema(openapi.AutoSchema):
    """Documents, on every operation, the errors it can answer whatever its view says: 400 for hostile input (any
    query or path), 413 for a body too large and 415 for a body of another type, 401 and 403 where callers must be
    signed in, 404 for a path naming something or a page past the end of a list, and 429 where a throttle applies.
    A view's own descriptions win."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._errors_any_view_may_answer().items():
            if str(code) not in responses:
                responses[str(code)] = self._get_response_for_code(response, str(code), direction=direction)
        return responses

    def _errors_any_view_may_answer(self) -> dict:
        errors = {400: ERROR_RESPONSES[400]}
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= TOO_LARGE | UNSUPPORTED_MEDIA_TYPE
        if not all(isinstance(permission, AllowAny) for permission in self.view.get_permissions()):
            errors |= {401: ERROR_RESPONSES[401], 403: ERROR_RESPONSES[403]}
        if "{" in self.path or (self.method == "GET" and self._get_paginator() is not None):
            errors |= NOT_FOUND
        if self.view.get_throttles():
            errors |= THROTTLED
        return errors


# --- Fields ----------------------------------------------------------------------------------------------------------


class NamedEnumField(serializers.ChoiceField):
    """A choice field documented as one named enum component, however many serializers and fields use it (the
    schema would otherwise name the same choices differently per field)."""

    enum_name = ""
    enum_choices: list = []

    def __init__(self, **kwargs):
        super().__init__(choices=self.enum_choices, **kwargs)


class NamedEnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = NamedEnumField
    match_subclasses = True

    def get_name(self) -> str:
        return self.target.enum_name

    def map_serializer_field(self, auto_schema, direction) -> dict:
        values = [value for value, _ in self.target.enum_choices]
        return {
            "type": "integer" if isinstance(values[0], int) else "string",
            "enum": values,
            "description": "\n".join(f"* `{value}` - {label}" for value, label in self.target.enum_choices),
        }
