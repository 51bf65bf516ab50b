"""Administrators create and change staff accounts in the admin site."""

import pytest
from django.urls import reverse

from accounts.models import Role, User
from tests.factories import HEEStaffFactory


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="admin@example.nhs.uk", full_name="Admin", password="x-Admin-Pass-1")


@pytest.mark.django_db
def test_making_someone_a_content_editor_in_the_admin_gives_them_the_editing_permissions(client, superuser):
    """Changing a role to content editor lets that person edit content; nothing else is needed."""
    person = HEEStaffFactory()
    client.force_login(superuser)
    url = reverse("admin:accounts_user_change", args=[person.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {
        key: value
        for key, value in form.initial.items()
        if value is not None
        and key not in {"groups", "user_permissions", "password", "date_joined", "last_login", "hee_region"}
    }
    data.update(role=Role.CONTENT_EDITOR, is_active="on", email_confirmed_at_0="", email_confirmed_at_1="")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_staff and person.has_perm("regulators.change_regulator")


@pytest.mark.django_db
def test_staff_created_in_the_admin_need_no_email_confirmation(client, superuser):
    """An account an administrator creates is usable straight away."""
    client.force_login(superuser)

    client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "new.hee@example.nhs.uk",
            "full_name": "New HEE",
            "role": Role.HEE_STAFF,
            "password1": "A-Strong-Admin-Set-9",
            "password2": "A-Strong-Admin-Set-9",
            "usable_password": "true",
        },
    )

    created = User.objects.get(email="new.hee@example.nhs.uk")
    assert created.email_confirmed_at is not None and created.is_active
