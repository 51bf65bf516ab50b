"""Content editors changing licence guidance: a new version opens as its draft, the draft's preview is the page
clinicians will see, publishing keeps the "page last reviewed" rule, topics read as words, and "what changed"
compares the rendered text paragraph by paragraph after a real edit in the admin site."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from regulators.models import GuidanceStatus, LicenceGuidanceVersion
from regulators.services import guidance_version_publish, guidance_version_start_next
from tests.clock import runs_at
from tests.factories import ClinicianProfileFactory
from tests.regulators.fixtures import make_guidance_version

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
_at_now = runs_at(NOW)

CHANGELIST = "admin:regulators_licenceguidanceversion_changelist"

BODY = (
    "## What the licence needs\n\n"
    "A licence lets a doctor **prescribe**.\n\n"
    "Revalidation rests on an annual appraisal.\n\n"
    "- feedback from colleagues\n"
    "- a recommendation from your responsible officer"
)


def version_url(version: LicenceGuidanceVersion) -> str:
    return reverse(
        "regulators:show_guidance_version",
        kwargs={"regulator": "gmc", "slug": version.guidance.slug, "number": version.number},
    )


def change_form_data(version: LicenceGuidanceVersion, **changes) -> dict:
    """What the admin's change form posts for a draft, as a browser sends it: text boxes with CRLF line endings."""
    data = {
        "title": version.title,
        "summary": version.summary,
        "senior_leaders": version.senior_leaders.replace("\n", "\r\n"),
        "body": version.body.replace("\n", "\r\n"),
        "topics": version.topics,
        "role_levels": version.role_levels,
        "roles": [role.pk for role in version.roles.all()],
        "source_url": version.source_url,
        "effective_from": version.effective_from.isoformat(),
        "_save": "Save",
    }
    data.update(changes)
    return data


def test_starting_a_new_version_opens_the_new_draft(client, editor):
    current = make_guidance_version(body=BODY)
    client.force_login(editor)

    response = client.post(reverse(CHANGELIST), {"action": "start_new_version", "_selected_action": [current.pk]})

    draft = LicenceGuidanceVersion.objects.get(guidance=current.guidance, number=2)
    assert response.status_code == 302
    assert response.url == reverse("admin:regulators_licenceguidanceversion_change", args=[draft.pk])
    page = client.get(response.url).content.decode()
    assert "Preview this draft as clinicians will see it" in page
    assert f'href="{version_url(draft)}"' in page


def test_starting_several_new_versions_links_to_each_draft(client, editor):
    first = make_guidance_version(slug="first", title="First guidance")
    second = make_guidance_version(slug="second", title="Second guidance")
    client.force_login(editor)

    response = client.post(
        reverse(CHANGELIST),
        {"action": "start_new_version", "_selected_action": [first.pk, second.pk]},
        follow=True,
    )

    texts = [str(message) for message in response.context["messages"]]
    for item in (first, second):
        draft = LicenceGuidanceVersion.objects.get(guidance=item.guidance, number=2)
        link = reverse("admin:regulators_licenceguidanceversion_change", args=[draft.pk])
        assert any(f'href="{link}"' in text for text in texts)


def guidance_text(html: str) -> str:
    """The guidance as a reader sees it: from the title to the details about it."""
    return html[html.index("<h1>") : html.index("<h2>About this guidance</h2>")]


def test_a_drafts_preview_is_the_page_clinicians_will_see(client, editor, clinician):
    current = make_guidance_version(body=BODY)
    draft = guidance_version_start_next(version=current, actor=editor)
    draft.body = BODY.replace("annual appraisal", "annual appraisal of your whole practice")
    draft.save()
    client.force_login(editor)

    preview = client.get(version_url(draft))

    assert preview.status_code == 200
    assert preview.templates[0].name == "regulators/guidance_detail.html"
    assert "Draft: not published" in preview.content.decode()
    # The preview promises the review date publishing today gives it.
    assert "Page last reviewed: 25 November 2026" in preview.content.decode()
    guidance_version_publish(version=draft, actor=editor)
    client.force_login(clinician)
    published = client.get(
        reverse("regulators:show_guidance", kwargs={"regulator": "gmc", "slug": current.guidance.slug})
    )
    assert published.templates[0].name == "regulators/guidance_detail.html"
    assert "annual appraisal of your whole practice" in published.content.decode()
    assert guidance_text(published.content.decode()) == guidance_text(preview.content.decode())
    assert "Page last reviewed: 25 November 2026" in published.content.decode()


def test_clinicians_cannot_preview_a_draft(client, editor, clinician):
    draft = guidance_version_start_next(version=make_guidance_version(), actor=editor)
    client.force_login(clinician)
    assert client.get(version_url(draft)).status_code == 404


def test_publishing_a_new_version_reviews_it_that_day_and_never_claims_the_old_review(editor):
    """A new draft is unreviewed; publishing it is its review, by the editor who published it, on that day."""
    current = make_guidance_version(last_reviewed_on=timezone.localdate() - timedelta(days=300))
    draft = guidance_version_start_next(version=current, actor=editor)
    assert draft.last_reviewed_on is None

    published = guidance_version_publish(version=draft, actor=editor)

    published.refresh_from_db()
    assert (published.last_reviewed_on, published.reviewed_by) == (timezone.localdate(), editor)


def test_publishing_keeps_a_review_the_editor_already_recorded(editor):
    current = make_guidance_version()
    draft = guidance_version_start_next(version=current, actor=editor)
    draft.last_reviewed_on = timezone.localdate() - timedelta(days=2)
    draft.save()

    published = guidance_version_publish(version=draft, actor=editor)

    assert published.last_reviewed_on == timezone.localdate() - timedelta(days=2)


def test_published_versions_show_topics_and_levels_in_words_in_the_admin(client, editor):
    current = make_guidance_version(topics=["revalidation", "responsible_officer"], role_levels=["organisation"])
    client.force_login(editor)

    page = client.get(reverse("admin:regulators_licenceguidanceversion_change", args=[current.pk])).content.decode()

    assert "Revalidation and renewal, Responsible officer or confirmer" in page
    assert "Organisation (board)" in page
    assert "responsible_officer" not in page and '"organisation"' not in page


def test_what_changed_after_editing_one_paragraph_in_the_admin(client, editor):
    """An editor changes one paragraph of a new draft in the admin site (which sends CRLF line endings) and
    publishes it: "what changed" names only the guidance, marks that paragraph removed and added as it reads on
    the page, every other paragraph unchanged, and never shows Markdown."""
    current = make_guidance_version(body=BODY)
    client.force_login(editor)
    client.post(reverse(CHANGELIST), {"action": "start_new_version", "_selected_action": [current.pk]})
    draft = LicenceGuidanceVersion.objects.get(guidance=current.guidance, number=2)
    edited = BODY.replace("Revalidation rests on an annual appraisal.", "Revalidation rests on a yearly appraisal.")
    response = client.post(
        reverse("admin:regulators_licenceguidanceversion_change", args=[draft.pk]),
        change_form_data(draft, body=edited.replace("\n", "\r\n"), effective_from=current.effective_from.isoformat()),
    )
    assert response.status_code == 302, response.content.decode()
    client.post(reverse(CHANGELIST), {"action": "publish_selected", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == GuidanceStatus.PUBLISHED

    url = reverse("regulators:show_guidance_changes", kwargs={"regulator": "gmc", "slug": current.guidance.slug})
    response = client.get(url, {"from": 1, "to": 2})
    page = response.content.decode()

    assert [section["name"] for section in response.context["changed"]] == ["Guidance"]
    assert "Changed: guidance." in page
    (guidance,) = response.context["changed"]
    marked = [(line["kind"], line["text"]) for line in guidance["lines"]]
    assert marked == [
        ("same", "What the licence needs"),
        ("same", "A licence lets a doctor prescribe."),
        ("removed", "Revalidation rests on an annual appraisal."),
        ("added", "Revalidation rests on a yearly appraisal."),
        ("same", "feedback from colleagues"),
        ("same", "a recommendation from your responsible officer"),
    ]
    removed = '<del><strong class="nhsuk-tag nhsuk-tag--red">Removed</strong> Revalidation rests on an annual'
    added = '<ins><strong class="nhsuk-tag nhsuk-tag--green">Added</strong> Revalidation rests on a yearly'
    assert removed in page and added in page
    assert "**" not in page and "## " not in page


def test_a_version_that_only_changed_line_endings_says_nothing_changed(client, editor):
    current = make_guidance_version(body=BODY, number=1, status=GuidanceStatus.SUPERSEDED)
    make_guidance_version(body=BODY.replace("\n", "\r\n") + "\r\n", number=2)
    url = reverse("regulators:show_guidance_changes", kwargs={"regulator": "gmc", "slug": current.guidance.slug})

    response = client.get(url, {"from": 1, "to": 2})

    assert response.context["changed"] == []
    assert "The two versions say the same thing." in response.content.decode()


def test_the_clinician_reading_guidance_never_sees_an_editors_draft_in_the_versions(client, editor):
    current = make_guidance_version()
    guidance_version_start_next(version=current, actor=editor)
    client.force_login(ClinicianProfileFactory().user)
    page = client.get(reverse("regulators:show_guidance", kwargs={"regulator": "gmc", "slug": current.guidance.slug}))
    assert "Version 2" not in page.content.decode()
