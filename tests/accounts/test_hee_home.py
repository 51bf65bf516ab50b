import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_national_hee_staff_see_every_region(
    client, hee_staff, clinician, other_clinician, django_assert_max_num_queries
):
    """National staff's home is the talent pipeline for England, broken down by region."""
    client.force_login(hee_staff)
    response = client.get(reverse("pipeline:show_dashboard"))

    rows = response.context["figures"]["breakdowns"][0]["rows"]
    regions = {row["label"]: row["counts"]["registered"] for row in rows}
    assert regions == {"North West": 1, "London": 1}
    assert "Shown: England." in response.content.decode()


@pytest.mark.django_db
def test_regional_hee_staff_see_only_their_region(client, regional_hee_staff, clinician, other_clinician):
    """Regional staff are limited to their region on the page."""
    client.force_login(regional_hee_staff)

    response = client.get(reverse("pipeline:show_dashboard"))

    assert [row["label"] for row in response.context["figures"]["breakdowns"][0]["rows"]] == ["London"]
    assert "North West" not in response.content.decode()
