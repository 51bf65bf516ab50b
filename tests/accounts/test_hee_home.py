import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_national_hee_staff_see_every_region(
    client, hee_staff, training_body, other_training_body, django_assert_max_num_queries
):
    """National staff see all seven regions with their training-body counts."""
    client.force_login(hee_staff)
    with django_assert_max_num_queries(5):
        response = client.get(reverse("hee_home"))

    regions = {region.name: region.training_body_count for region in response.context["regions"]}
    assert len(regions) == 7
    assert regions["North West"] == 1 and regions["London"] == 1


@pytest.mark.django_db
def test_regional_hee_staff_see_only_their_region(client, regional_hee_staff, training_body, other_training_body):
    """Regional staff are limited to their region on the page."""
    client.force_login(regional_hee_staff)

    response = client.get(reverse("hee_home"))

    assert [region.name for region in response.context["regions"]] == ["London"]
    assert "North West" not in response.content.decode()
