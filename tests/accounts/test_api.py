"""Token sign-in and the signed-in user over the API."""

import pytest
from django.urls import reverse

from tests.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_a_token_from_email_and_password_opens_the_api(client, clinician):
    """POSTing email and password returns a token that authenticates later calls."""
    response = client.post(
        reverse("accounts_api:obtain_token"),
        {"email": clinician.email, "password": TEST_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]

    me = client.get(reverse("accounts_api:show_my_account"), HTTP_AUTHORIZATION=f"Token {token}")

    assert me.status_code == 200
    assert me.json() == {
        "id": str(clinician.pk),
        "email": clinician.email,
        "full_name": clinician.full_name,
        "role": "clinician",
        "hee_region": None,
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "x@example.nhs.uk", "password": "wrong"}, "non_field_errors"),
        ({"email": "not-an-email", "password": "x"}, "email"),
        ({"password": "x"}, "email"),
        ({"email": "x@example.nhs.uk"}, "password"),
        ({"email": "c" * 300 + "@example.nhs.uk", "password": "x"}, "email"),
    ],
)
def test_bad_token_requests_answer_400_with_field_detail(client, clinician, body, field):
    """Wrong or missing details answer 400 with JSON naming the field; no token is issued."""
    response = client.post(reverse("accounts_api:obtain_token"), body, content_type="application/json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.django_db
def test_an_unconfirmed_account_gets_no_token(client):
    """Accounts waiting for email confirmation cannot use the API either."""
    from tests.factories import ClinicianFactory

    user = ClinicianFactory(is_active=False, email_confirmed_at=None)

    response = client.post(
        reverse("accounts_api:obtain_token"),
        {"email": user.email, "password": TEST_PASSWORD},
        content_type="application/json",
    )

    assert response.status_code == 400


@pytest.mark.django_db
def test_the_openapi_schema_describes_the_token_endpoint(client):
    """The published schema documents token sign-in with its email and password fields."""
    response = client.get(reverse("api_schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/auth/token/" in schema["paths"]
    assert set(schema["components"]["schemas"]["TokenRequest"]["required"]) == {"email", "password"}
