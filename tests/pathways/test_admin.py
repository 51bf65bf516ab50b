"""Content editors manage pathways and opportunities in the admin site: deliberate publishing, clear errors."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _opportunity_form(**overrides) -> dict:
    today = timezone.localdate()
    data = {
        "title": "Test programme",
        "slug": "test-programme",
        "provider": "Test provider",
        "kind": OpportunityKind.PROGRAMME,
        "summary": "A programme.",
        "description": "About it.",
        "link": "https://example.org/",
        "min_specialty_training_year": "",
        "min_years_since_registration": "",
        "max_years_since_registration": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=30)).isoformat(),
        "places": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:pathways_pathway_changelist",
        "admin:pathways_pathway_add",
        "admin:pathways_opportunity_changelist",
        "admin:pathways_opportunity_add",
        "admin:pathways_leadershiprole_changelist",
    ],
)
def test_editor_reaches_content_admin(editor_client, url_name, published_pathway, draft_opportunity):
    """Editors can open the pathway, opportunity and role pages of the admin site."""
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_editor_opens_a_pathway_with_its_steps(editor_client, published_pathway):
    """The pathway form shows its steps in order for editing."""
    response = editor_client.get(reverse("admin:pathways_pathway_change", args=[published_pathway.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.index("Lead a quality improvement project") < content.index("Take a leadership fellowship")


def test_editor_cannot_reach_accounts_admin(editor_client):
    """Editors never see or change user accounts."""
    assert editor_client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_publish_action_publishes_drafts(editor_client, editor, draft_pathway):
    """Publishing is a deliberate action that makes the draft public and dates it."""
    response = editor_client.post(
        reverse("admin:pathways_pathway_changelist"),
        {"action": "publish_selected", "_selected_action": [draft_pathway.pk]},
        follow=True,
    )
    assert response.status_code == 200
    draft_pathway.refresh_from_db()
    assert draft_pathway.status == ContentStatus.PUBLISHED and draft_pathway.published_at is not None


def test_return_to_draft_and_publish_opportunity(editor_client, open_opportunity, draft_opportunity):
    """Editors can take an opportunity down and put a draft up, each with one action."""
    changelist = reverse("admin:pathways_opportunity_changelist")
    editor_client.post(changelist, {"action": "return_selected_to_draft", "_selected_action": [open_opportunity.pk]})
    editor_client.post(changelist, {"action": "publish_selected", "_selected_action": [draft_opportunity.pk]})
    open_opportunity.refresh_from_db()
    draft_opportunity.refresh_from_db()
    assert open_opportunity.status == ContentStatus.DRAFT
    assert draft_opportunity.status == ContentStatus.PUBLISHED and draft_opportunity.published_at


def test_mark_reviewed_records_reviewer_and_date(editor_client, editor, draft_pathway):
    """The list shows who last reviewed each pathway and when."""
    editor_client.post(
        reverse("admin:pathways_pathway_changelist"),
        {"action": "mark_reviewed_today", "_selected_action": [draft_pathway.pk]},
    )
    draft_pathway.refresh_from_db()
    assert draft_pathway.last_reviewed_on == timezone.localdate() and draft_pathway.reviewed_by == editor


def test_new_opportunity_starts_as_draft_and_status_cannot_be_posted(editor_client):
    """Saving the form never publishes: a new opportunity is a draft even if someone posts a status."""
    response = editor_client.post(
        reverse("admin:pathways_opportunity_add"), _opportunity_form(status="published", professions=["doctor"])
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    opportunity = Opportunity.objects.get(slug="test-programme")
    assert opportunity.status == ContentStatus.DRAFT and opportunity.professions == ["doctor"]


def test_new_pathway_with_steps_starts_as_draft(editor_client):
    """A pathway written in the admin is saved with its steps and stays a draft until published."""
    data = {
        "title": "New pathway",
        "slug": "new-pathway",
        "summary": "Summary.",
        "body": "Body.",
        "professions": ["nurse"],
        "target_role": LeadershipRole.objects.get(slug="chief-nurse").pk,
        "steps-TOTAL_FORMS": "1",
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-order": "1",
        "steps-0-title": "First step",
        "steps-0-description": "Do it.",
        "steps-0-typical_duration": "1 year",
        "steps-0-dimensions": ["leading_with_care"],
    }
    response = editor_client.post(reverse("admin:pathways_pathway_add"), data)
    assert response.status_code == 302
    pathway = Pathway.objects.get(slug="new-pathway")
    assert pathway.status == ContentStatus.DRAFT
    assert pathway.steps.get().dimensions == ["leading_with_care"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        pytest.param(
            {"opens_on": "2030-02-01", "closes_on": "2030-01-01"}, "closes_on", "closing date", id="window-backwards"
        ),
        pytest.param(
            {"min_years_since_registration": "5", "max_years_since_registration": "2"},
            "max_years_since_registration",
            "maximum years",
            id="max-below-min",
        ),
        pytest.param({"places": "0"}, "places", "1 or more places", id="zero-places"),
        pytest.param({"places": "-3"}, "places", "greater than or equal to 0", id="negative-places"),
        pytest.param({"min_specialty_training_year": "9"}, "min_specialty_training_year", "1 to 8", id="st-year"),
    ],
)
def test_invalid_opportunity_shows_form_errors(editor_client, overrides, field, message):
    """Impossible rules are caught on the form with a message next to the field, and nothing is saved."""
    response = editor_client.post(reverse("admin:pathways_opportunity_add"), _opportunity_form(**overrides))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors and message in " ".join(errors[field])
    assert not Opportunity.objects.filter(slug="test-programme").exists()


def test_clinician_cannot_reach_content_admin(client, clinician):
    """Only editors work on content; clinicians are sent to sign in to the admin site."""
    client.force_login(clinician)
    assert client.get(reverse("admin:pathways_pathway_changelist")).status_code == 302


@pytest.mark.parametrize("rows", [10, 100])
def test_pathway_changelist_queries_are_bounded(editor_client, rows, django_assert_max_num_queries):
    """The pathway list stays fast however many pathways there are."""
    role = LeadershipRole.objects.get(slug="clinical-lead")
    Pathway.objects.bulk_create(
        Pathway(slug=f"p-{i}", title=f"P {i}", summary="s", body="b", target_role=role) for i in range(rows)
    )
    with django_assert_max_num_queries(12):
        assert editor_client.get(reverse("admin:pathways_pathway_changelist")).status_code == 200


@pytest.mark.parametrize("rows", [10, 100])
def test_opportunity_changelist_queries_are_bounded(editor_client, rows, django_assert_max_num_queries):
    """The opportunity list stays fast however many opportunities there are."""
    today = timezone.localdate()
    Opportunity.objects.bulk_create(
        Opportunity(
            slug=f"o-{i}",
            title=f"O {i}",
            provider="p",
            kind="course",
            summary="s",
            description="d",
            opens_on=today,
            closes_on=today,
        )
        for i in range(rows)
    )
    with django_assert_max_num_queries(12):
        assert editor_client.get(reverse("admin:pathways_opportunity_changelist")).status_code == 200


@pytest.mark.django_db
def test_editors_may_delete_a_pathway_step_but_not_whole_pathways(editor):
    """Managing steps includes removing one; pathways and opportunities are returned to draft instead."""
    editor = type(editor).objects.get(pk=editor.pk)  # fresh permission cache

    assert editor.has_perm("pathways.delete_pathwaystep")
    assert not editor.has_perm("pathways.delete_pathway")
    assert not editor.has_perm("pathways.delete_opportunity")
