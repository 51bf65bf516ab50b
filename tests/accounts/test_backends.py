"""How a signed-in request finds its user (accounts/backends.py, accounts.selectors.user_by_pk)."""

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, User
from accounts.selectors import user_by_pk
from tests.factories import HEEStaffFactory

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


def test_a_signed_in_request_reads_its_user_in_one_query(client, hee_staff):
    client.force_login(hee_staff)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("hee_home"))

    assert response.context["user"] == hee_staff
    assert sum('FROM "accounts_user"' in query["sql"] for query in queries) == 1


def test_a_deactivated_account_is_signed_out_at_its_next_request(client, hee_staff):
    client.force_login(hee_staff)
    assert client.get(reverse("hee_home")).status_code == 200

    User.objects.filter(pk=hee_staff.pk).update(is_active=False)
    response = client.get(reverse("hee_home"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("sign_in"))
