"""How a signed-in request finds its user (accounts/backends.py, accounts.selectors.user_by_pk)."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from accounts.selectors import _user_by_pk_statement, user_by_pk
from tests.factories import TEST_PASSWORD, HEEStaffFactory

pytestmark = pytest.mark.django_db


def test_a_user_read_by_primary_key_is_the_row_the_orm_reads():
    staff = HEEStaffFactory(hee_region=Region.objects.get(slug="london"), last_login=timezone.now() - timedelta(days=1))

    read = user_by_pk(staff.pk)

    expected = User.objects.get(pk=staff.pk)
    for field in User._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(expected, field.attname), field.name
    assert read.hee_region.name == "London"
    assert (read._state.adding, read._state.db) == (False, "default")
    assert user_by_pk(str(staff.pk)) == staff  # as the session keeps it
    assert user_by_pk(uuid.uuid4()) is None


def test_signing_in_goes_through_the_account_backend_and_each_request_reads_the_user_once(client, hee_staff):
    client.post(reverse("sign_in"), {"username": hee_staff.email, "password": TEST_PASSWORD})
    assert client.session[BACKEND_SESSION_KEY] == "accounts.backends.AccountBackend"

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("hee_home"))

    assert response.context["user"] == hee_staff
    reads = [query["sql"] for query in queries if 'FROM "accounts_user"' in query["sql"]]
    assert len(reads) == 1
    statement, _columns, _converters = _user_by_pk_statement("default")
    before_parameter, after_parameter = statement.split("%s")
    assert reads[0].startswith(before_parameter) and reads[0].endswith(after_parameter)


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, hee_staff):
    client.force_login(hee_staff)
    assert client.get(reverse("hee_home")).status_code == 200

    User.objects.filter(pk=hee_staff.pk).update(is_active=False)
    response = client.get(reverse("hee_home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("sign_in"))
