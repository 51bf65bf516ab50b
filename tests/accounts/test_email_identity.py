"""One identity for an email address: however it is typed, an address reaches one account, and the lock-out counts
every spelling that reaches it against that account."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from accounts.emails import normalise_email
from accounts.models import User
from tests.factories import TEST_PASSWORD, ClinicianFactory

LONG_S = "\u017f"  # the long s: upper-cases to S, so UPPER() matched it to s
DOTLESS_I = "\u0131"  # the dotless i: upper-cases to I, so UPPER() matched it to i
FULL_WIDTH_S = "\uff53"  # a full-width s


def sign_in(client, email, password):
    return client.post(reverse("accounts:sign_in"), {"username": email, "password": password})


def obtain_token(client, email, password):
    return client.post(
        reverse("accounts_api:obtain_token"), {"email": email, "password": password}, content_type="application/json"
    )


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Sam.Smith@Example.NHS.uk", "sam.smith@example.nhs.uk"),
        ("  sam.smith@example.nhs.uk ", "sam.smith@example.nhs.uk"),
        (f"{LONG_S}am.{LONG_S}mith@example.nhs.uk", "sam.smith@example.nhs.uk"),
        (f"{FULL_WIDTH_S}am.smith@example.nhs.uk", "sam.smith@example.nhs.uk"),
        ("\u212aate@example.nhs.uk", "kate@example.nhs.uk"),  # the Kelvin sign
        (f"t{DOTLESS_I}m@example.nhs.uk", f"t{DOTLESS_I}m@example.nhs.uk"),  # no plain equivalent: another address
    ],
)
def test_an_address_has_one_form_however_it_is_typed(typed, stored):
    """Capitals, spaces and compatibility look-alikes all give the one form accounts are stored and found under."""
    assert normalise_email(typed) == stored


@pytest.mark.django_db
def test_a_long_s_look_alike_counts_against_the_account_it_reaches(client):
    """Five wrong passwords typed with the long s (U+017F) for s pause the account itself: the plain address and the
    right password are refused too."""
    user = ClinicianFactory(email="sam.smith@example.nhs.uk")
    for _ in range(5):
        sign_in(client, f"{LONG_S}am.{LONG_S}mith@example.nhs.uk", "wrong-password")

    response = sign_in(client, user.email, TEST_PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts to sign in" in response.content.decode()


@pytest.mark.django_db
def test_a_look_alike_gets_no_fresh_allowance_after_the_plain_address_is_paused(client):
    """Once the plain address is paused, switching to a look-alike spelling does not start the count again."""
    user = ClinicianFactory(email="sam.smith@example.nhs.uk")
    for _ in range(5):
        sign_in(client, user.email, "wrong-password")

    look_alike = sign_in(client, f"{LONG_S}am.smith@example.nhs.uk", TEST_PASSWORD)
    api = obtain_token(client, f"SAM.{LONG_S}MITH@example.nhs.uk", TEST_PASSWORD)

    assert look_alike.status_code == 429
    assert api.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_look_alike_with_no_plain_equivalent_reaches_no_account(client):
    """The dotless i (U+0131) is not an i: with the right password it signs in to nothing, on the page or the API."""
    ClinicianFactory(email="tim.jones@example.nhs.uk")
    look_alike = f"t{DOTLESS_I}m.jones@example.nhs.uk"

    page = sign_in(client, look_alike, TEST_PASSWORD)
    api = obtain_token(client, look_alike, TEST_PASSWORD)

    assert page.status_code == 200 and "Enter a correct email address and password" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert api.status_code == 400 and "token" not in api.json()


@pytest.mark.django_db
def test_the_api_token_endpoint_finds_the_account_under_any_spelling(client):
    """The token endpoint uses the same identity: capitals and look-alikes with a plain equivalent reach the account."""
    ClinicianFactory(email="sam.smith@example.nhs.uk")

    response = obtain_token(client, f"SAM.{LONG_S}MITH@EXAMPLE.NHS.UK", TEST_PASSWORD)

    assert response.status_code == 200 and response.json()["token"]


@pytest.mark.django_db
def test_a_full_width_look_alike_does_not_create_a_second_account(client, django_capture_on_commit_callbacks):
    """Signing up with a full-width letter in an address that has an account creates nothing new."""
    ClinicianFactory(email="sam.smith@example.nhs.uk")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:sign_up"),
            {
                "full_name": "Sam Smith",
                "email": f"{FULL_WIDTH_S}am.smith@example.nhs.uk",
                "password1": "Leadership-Journey-42",
                "password2": "Leadership-Journey-42",
            },
        )

    assert list(User.objects.values_list("email", flat=True)) == ["sam.smith@example.nhs.uk"]
    assert [message.to for message in mail.outbox] == [["sam.smith@example.nhs.uk"]]


@pytest.mark.django_db
def test_accounts_are_stored_under_the_normalised_address():
    """However an account is created, its address is stored in the one form."""
    user = User.objects.create_user(email=f" {LONG_S}am.Smith@Example.NHS.uk ", full_name="Sam Smith")

    user.refresh_from_db()
    assert user.email == "sam.smith@example.nhs.uk"


@pytest.mark.django_db
def test_the_database_refuses_an_address_stored_with_capitals():
    """Capitals cannot slip past the exact match (or store an address twice) by a write that skips the model."""
    user = ClinicianFactory(email="sam.smith@example.nhs.uk")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=user.pk).update(email="Sam.Smith@example.nhs.uk")


@pytest.mark.django_db
def test_the_migration_normalises_stored_addresses_and_leaves_a_clashing_look_alike_alone():
    """Existing accounts move to the normalised form; a look-alike of another account's address keeps its own, so no
    account changes hands."""
    migration = importlib.import_module("accounts.migrations.0007_emails_normalised")
    plain = ClinicianFactory(email="sam.smith@example.nhs.uk")
    clash = ClinicianFactory(email="other@example.nhs.uk")
    alone = ClinicianFactory(email="kate@example.nhs.uk")
    User.objects.filter(pk=clash.pk).update(email=f"{LONG_S}am.smith@example.nhs.uk")
    User.objects.filter(pk=alone.pk).update(email=f"{FULL_WIDTH_S}ate@example.nhs.uk")

    migration.normalise_stored_emails(django_apps, None)

    emails = dict(User.objects.values_list("pk", "email"))
    assert emails[plain.pk] == "sam.smith@example.nhs.uk"
    assert emails[clash.pk] == f"{LONG_S}am.smith@example.nhs.uk"
    assert emails[alone.pk] == "sate@example.nhs.uk"
