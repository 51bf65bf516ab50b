"""Hostile input is refused with a 400 (413 for a body too large), never a 500: control characters in a query, a path,
a form or a JSON body, JSON nested too deep, and a body too large. API answers are JSON whatever goes wrong."""

import json

import pytest
from django.core.exceptions import BadRequest, PermissionDenied
from django.test import override_settings
from django.urls import include, path, reverse

import config.urls
from config.api import SERVER_ERROR
from talent.models import InterestRecord
from tests.factories import ClinicianFactory

pytestmark = pytest.mark.django_db

EVERY_ROLE = ("anonymous", "clinician", "tb_admin", "hee_staff", "editor")


def as_role(client, user_for_role, role: str):
    user = user_for_role(role)
    if user is not None:
        client.force_login(user)
    client.raise_request_exception = False  # answer as the site would, rather than re-raise into the test
    return client


def assert_json_error(response, status: int):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    return response.json()


# --- Control characters --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_a_nul_byte_in_the_guidance_regulator_filter_is_a_400_page_and_a_json_400(client, user_for_role, role):
    client = as_role(client, user_for_role, role)

    page = client.get(reverse("regulators:list_guidance"), {"regulator": "gm\x00c"})
    api = client.get(reverse("regulators_api:list_guidance"), {"regulator": "gm\x00c"})

    assert page.status_code == 400 and "could not understand that request" in page.content.decode()
    assert "control characters" in assert_json_error(api, 400)["regulator"][0]


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x7f", "\x85"])
def test_any_control_character_in_a_query_key_or_value_is_a_400(client, character):
    client.raise_request_exception = False

    assert client.get(reverse("pathways:list_opportunities"), {"kind": f"course{character}"}).status_code == 400
    assert client.get(reverse("pathways:list_opportunities"), {f"ki{character}nd": "course"}).status_code == 400


def test_a_nul_byte_in_a_path_is_a_400_not_a_lookup(client, hee_staff):
    client = as_role(client, lambda role: hee_staff, "hee_staff")

    response = client.get("/api/v1/clinicians/ab%00cd/")

    assert_json_error(response, 400)


def test_a_nul_byte_in_a_slug_field_of_my_profile_is_a_400_naming_the_field(client, clinician):
    client.force_login(clinician)
    client.raise_request_exception = False
    region = clinician.clinician_profile.region

    response = client.patch(
        reverse("talent_api:edit_my_profile"), json.dumps({"region": "north\x00west"}), content_type="application/json"
    )

    assert "control characters" in assert_json_error(response, 400)["region"][0]
    clinician.clinician_profile.refresh_from_db()
    assert clinician.clinician_profile.region == region


@pytest.mark.parametrize("text", ["\ud800", "a\x00b", "\x08"])
def test_a_control_character_or_lone_surrogate_in_json_text_is_a_400_naming_the_field(client, clinician, text):
    client.force_login(clinician)
    client.raise_request_exception = False

    response = client.post(
        reverse("talent_api:list_my_interests"),
        json.dumps({"level": 2, "readiness_horizon": "now", "note": f"Keen{text}"}),
        content_type="application/json",
    )

    assert list(assert_json_error(response, 400)) == ["note"]
    assert not InterestRecord.objects.exists()


def test_tabs_and_new_lines_in_free_text_are_kept(client, clinician):
    client.force_login(clinician)

    response = client.post(
        reverse("talent_api:list_my_interests"),
        {"level": 2, "readiness_horizon": "now", "note": "First line\r\nSecond\tline"},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert InterestRecord.objects.get().note == "First line\r\nSecond\tline"


def test_a_nul_byte_in_a_form_field_is_a_400_page_and_signs_nobody_in(client, clinician):
    client.raise_request_exception = False

    response = client.post(reverse("accounts:sign_in"), {"username": "clin\x00@example.test", "password": "x"})

    assert response.status_code == 400 and "could not understand that request" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_nul_byte_in_a_form_body_sent_to_the_api_is_a_json_400(client):
    client.raise_request_exception = False

    response = client.post(reverse("accounts_api:obtain_token"), {"email": "a\x00@example.test", "password": "x"})

    assert_json_error(response, 400)


# --- Size and depth ------------------------------------------------------------------------------------------------


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("role", ["anonymous", "clinician"])
def test_json_nested_a_thousand_deep_is_a_json_400(client, user_for_role, role):
    client = as_role(client, user_for_role, role)

    token = client.post(reverse("accounts_api:obtain_token"), nested(1000), content_type="application/json")
    profile = client.patch(reverse("talent_api:edit_my_profile"), nested(1000), content_type="application/json")

    assert "nested" in assert_json_error(token, 400)["detail"]
    if role == "clinician":
        assert "nested" in assert_json_error(profile, 400)["detail"]


@override_settings(API_JSON_MAX_DEPTH=2)
def test_json_nesting_is_bounded_by_the_setting(client, clinician):
    client.force_login(clinician)
    client.raise_request_exception = False
    url = reverse("talent_api:list_my_interests")
    base = {"level": 2, "readiness_horizon": "now"}

    deepest_allowed = client.post(url, {**base, "target_roles": ["clinical-lead"]}, content_type="application/json")
    too_deep = client.post(url, {**base, "target_roles": [["x"]]}, content_type="application/json")

    assert deepest_allowed.status_code == 201
    assert "nested" in assert_json_error(too_deep, 400)["detail"]


@override_settings(REQUEST_BODY_MAX_BYTES=1000)
def test_a_body_larger_than_the_setting_is_a_413_json_for_the_api_and_a_page_for_the_site(client, clinician):
    client.raise_request_exception = False
    big = "x" * 1001

    api = client.post(
        reverse("accounts_api:obtain_token"), {"email": big, "password": "x"}, content_type="application/json"
    )
    page = client.post(reverse("accounts:sign_in"), {"username": big, "password": "x"})

    assert "too large" in assert_json_error(api, 413)["detail"]
    assert page.status_code == 413 and "too large" in page.content.decode()


# --- API errors are JSON -------------------------------------------------------------------------------------------


def plain_view_raising(error: Exception):
    def view(request):
        raise error

    return view


broken = [
    path("bad/", plain_view_raising(BadRequest("bad"))),
    path("denied/", plain_view_raising(PermissionDenied())),
    path("broken/", plain_view_raising(ZeroDivisionError("the secret formula"))),
]
urlpatterns = [path("api/v1/", include(broken)), path("", include(broken))]
handler400, handler403, handler404, handler500 = (
    config.urls.handler400,
    config.urls.handler403,
    config.urls.handler404,
    config.urls.handler500,
)


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "url, status, detail",
    [
        ("/api/v1/bad/", 400, "Bad request"),
        ("/api/v1/denied/", 403, "permission"),
        ("/api/v1/nowhere/", 404, "Not found"),
        ("/api/v1/broken/", 500, SERVER_ERROR),
    ],
)
def test_errors_outside_the_apis_views_still_answer_json_under_api(client, url, status, detail):
    client.raise_request_exception = False

    assert detail in assert_json_error(client.get(url), status)["detail"]


def test_a_page_that_is_not_found_outside_the_api_is_still_the_html_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_sign_in_with_a_tab_in_the_password_still_works(client):
    user = ClinicianFactory(password="pass\tword-1234")

    client.post(reverse("accounts:sign_in"), {"username": user.email, "password": "pass\tword-1234"})

    assert client.session["_auth_user_id"] == str(user.pk)
