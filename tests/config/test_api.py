"""The API's one exception handler (config.api): every error answers JSON, a broken business rule answers 400 naming
its field or 409 for a conflict, and an unexpected error a logged 500 that says nothing of the code."""

import json
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.management import call_command
from django.http import Http404
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from config.api import SERVER_ERROR
from config.errors import DomainError


class RaisingView(APIView):
    """An API view whose GET raises what it is given, as a view's service might."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    error: Exception = Exception()

    def get(self, request):
        raise self.error


class RatingsView(RaisingView):
    domain_error_field = "ratings"


class NominationLikeView(RaisingView):
    def domain_conflict_details(self) -> dict:
        return {"state": "approved"}


def answer(error: Exception, view_class: type[APIView] = RaisingView):
    response = view_class.as_view(error=error)(APIRequestFactory().get("/api/v1/anything/"))
    response.render()
    return response.status_code, response["Content-Type"], json.loads(response.content)


def test_a_broken_rule_answers_400_naming_its_field():
    assert answer(DomainError("Enter a year after 1950.", field="first_registration_year")) == (
        400,
        "application/json",
        {"first_registration_year": ["Enter a year after 1950."]},
    )


def test_a_broken_rule_naming_no_field_answers_400_under_the_views_field_or_non_field_errors():
    assert answer(DomainError("Rate every dimension."))[2] == {"non_field_errors": ["Rate every dimension."]}
    assert answer(DomainError("Rate every dimension."), RatingsView)[2] == {"ratings": ["Rate every dimension."]}


def test_a_conflict_answers_409_with_what_the_view_adds():
    conflict = DomainError("Already decided.", conflict=True)

    assert answer(conflict) == (409, "application/json", {"detail": "Already decided."})
    assert answer(conflict, NominationLikeView)[2] == {"detail": "Already decided.", "state": "approved"}


@pytest.mark.parametrize(
    "error, status, body",
    [
        (Http404(), 404, {"detail": "Not found."}),
        (PermissionDenied(), 403, {"detail": "You do not have permission to perform this action."}),
        (DjangoValidationError({"email": ["Enter a valid email."]}), 400, {"email": ["Enter a valid email."]}),
        (DjangoValidationError("Not allowed."), 400, {"non_field_errors": ["Not allowed."]}),
    ],
)  # fmt: skip
def test_djangos_own_errors_answer_as_drf_answers_them(error, status, body):
    assert answer(error) == (status, "application/json", body)


def test_an_unexpected_error_answers_a_json_500_and_is_logged_with_its_traceback(caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        status, content_type, body = answer(ZeroDivisionError("the secret formula"))

    assert (status, content_type, body) == (500, "application/json", {"detail": SERVER_ERROR})
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.getMessage() == "Internal Server Error: /api/v1/anything/"
    assert record.exc_info[0] is ZeroDivisionError


urlpatterns = [path("api/v1/broken/", RaisingView.as_view(error=ZeroDivisionError("the secret formula")))]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_through_the_whole_site_an_unexpected_api_error_is_json_and_logged_once(client, caplog):
    """Not the site's HTML error page: an API caller gets JSON whatever fails."""
    client.raise_request_exception = False  # answer as the site would, rather than re-raise into the test
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/broken/")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": SERVER_ERROR}
    assert [record.exc_info[0] for record in caplog.records if record.name == "django.request"] == [ZeroDivisionError]


def test_the_openapi_schema_is_generated_without_a_warning(tmp_path):
    """A warning means a client would read a wrong schema: two serializers of one name share a component (one
    endpoint then documents the other's fields), or one set of choices gets several names."""
    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
