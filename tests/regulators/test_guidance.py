"""Licence guidance: versions and supersession, drafts only for editors, "what changed", safe Markdown, the pages'
filters and query counts, editing in the admin site, and the starter content."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from config.errors import DomainError
from regulators.models import GuidanceStatus, LicenceGuidance, LicenceGuidanceVersion, Regulator
from regulators.services import guidance_version_publish, guidance_version_start_next
from regulators.starter_content import guidance_records, guidance_starter_content_load
from tests.factories import ClinicianProfileFactory, UserFactory
from tests.regulators.fixtures import make_guidance_version

pytestmark = pytest.mark.django_db

HOSTILE = (
    "Hello <script>alert('body')</script> **world**\n\n"
    '<img src=x onerror="alert(1)">\n\n'
    "[click](javascript:alert(2))\n\n"
    '<a href="https://example.org" onclick="alert(3)">link</a>'
)


def detail_url(version: LicenceGuidanceVersion, **extra) -> str:
    kwargs = {"regulator": version.guidance.regulator.code.lower(), "slug": version.guidance.slug, **extra}
    return reverse(
        "regulators:show_guidance_version" if "number" in extra else "regulators:show_guidance", kwargs=kwargs
    )


# --- Versioning ------------------------------------------------------------------------------------------------------


def test_publishing_a_new_version_supersedes_the_current_one(editor, guidance_published, guidance_draft):
    published = guidance_version_publish(version=guidance_draft, actor=editor)
    guidance_published.refresh_from_db()
    assert published.status == GuidanceStatus.PUBLISHED and published.published_at
    assert guidance_published.status == GuidanceStatus.SUPERSEDED and guidance_published.superseded_at
    statuses = dict(guidance_published.guidance.versions.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "superseded", 3: "published"}


def test_an_older_draft_cannot_replace_a_newer_published_version(editor):
    draft = make_guidance_version(number=1, status=GuidanceStatus.DRAFT)
    make_guidance_version(number=2)
    with pytest.raises(DomainError) as raised:
        guidance_version_publish(version=draft, actor=editor)
    assert raised.value.conflict


def test_a_new_version_starts_as_a_copy_of_the_newest(editor):
    current = make_guidance_version(number=1, roles=["medical-director"])
    draft = guidance_version_start_next(version=current, actor=editor)
    assert (draft.number, draft.status, draft.title) == (2, GuidanceStatus.DRAFT, current.title)
    assert list(draft.roles.values_list("slug", flat=True)) == ["medical-director"]
    with pytest.raises(DomainError):
        guidance_version_start_next(version=current, actor=editor)  # a draft is already waiting


def test_a_new_version_does_not_claim_the_old_versions_review(editor):
    """The draft has not been reviewed: no "last reviewed" date; effective from starts as today for the editor."""
    current = make_guidance_version(
        number=1,
        effective_from=timezone.localdate() - timedelta(days=300),
        last_reviewed_on=timezone.localdate() - timedelta(days=100),
        reviewed_by=editor,
    )
    draft = guidance_version_start_next(version=current, actor=editor)
    draft.refresh_from_db()
    assert (draft.last_reviewed_on, draft.reviewed_by, draft.effective_from) == (None, None, timezone.localdate())


def test_what_changed_ignores_topics_and_levels_that_were_only_reordered(client, guidance_published):
    old = guidance_published.guidance.versions.get(number=1)
    old.topics = ["revalidation", "keeping_licence"]
    old.role_levels = ["organisation", "system"]
    old.save()
    guidance_published.topics = ["keeping_licence", "revalidation"]
    guidance_published.role_levels = ["system", "organisation"]
    guidance_published.save()
    url = reverse(
        "regulators:show_guidance_changes", kwargs={"regulator": "gmc", "slug": guidance_published.guidance.slug}
    )
    response = client.get(url, {"from": 1, "to": 2})
    changed = [section["name"] for section in response.context["changed"]]
    assert "Topics" not in changed and "Role levels" not in changed and "Roles" not in changed
    # A real change to the topics is still reported, as one removal or addition.
    guidance_published.topics = ["keeping_licence", "cpd"]
    guidance_published.save()
    response = client.get(url, {"from": 1, "to": 2})
    (topics,) = [section for section in response.context["changed"] if section["name"] == "Topics"]
    assert [line["kind"] for line in topics["lines"]] == ["same", "removed", "added"]


def test_the_database_allows_one_published_version_per_item():
    make_guidance_version(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_guidance_version(number=2)


def test_the_database_requires_the_senior_leaders_section():
    with pytest.raises(IntegrityError), transaction.atomic():
        make_guidance_version(senior_leaders="   ")


# --- Pages -----------------------------------------------------------------------------------------------------------


def test_the_current_version_shows_the_senior_leaders_section_and_the_history(client, guidance_published):
    page = client.get(detail_url(guidance_published)).content.decode()
    assert "How this applies to senior leaders" in page
    assert "Your appraisal covers your leadership work too." in page
    assert "Version 1" in page and "See what changed from version 1 to version 2" in page
    assert "draft rewrite" not in page  # version 3 is a draft


def test_a_superseded_version_stays_readable_with_a_notice(client, guidance_superseded):
    page = client.get(detail_url(guidance_superseded, number=1)).content.decode()
    assert "This guidance has been replaced" in page
    assert "Read the current version (2)" in page


def test_drafts_are_visible_only_to_editors(client, editor, clinician, guidance_draft):
    url = detail_url(guidance_draft, number=3)
    assert client.get(url).status_code == 404
    client.force_login(clinician)
    assert client.get(url).status_code == 404
    assert "draft rewrite" not in client.get(reverse("regulators:list_guidance")).content.decode()
    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "Draft: not published" in page


def test_a_superuser_without_the_editors_role_sees_no_drafts_on_the_guidance_pages(client, guidance_draft):
    """Superusers get the admin site, not the content editors' previews (docs/adr/0008)."""
    client.force_login(UserFactory(role=Role.HEE_STAFF, is_staff=True, is_superuser=True))

    assert client.get(detail_url(guidance_draft, number=3)).status_code == 404
    assert "draft rewrite" not in client.get(reverse("regulators:list_guidance")).content.decode()


def test_what_changed_lists_removed_and_added_paragraphs_in_words(client, guidance_published):
    old = guidance_published.guidance.versions.get(number=1)
    old.body = "## Keeping your licence\n\nRevalidate every five years.\n\nTalk to your appraiser."
    old.save()
    guidance_published.body = (
        "## Keeping your licence\n\nRevalidate every five years.\n\nTalk to your responsible officer."
    )
    guidance_published.save()
    url = reverse(
        "regulators:show_guidance_changes",
        kwargs={"regulator": "gmc", "slug": guidance_published.guidance.slug},
    )
    response = client.get(url, {"from": 1, "to": 2})
    page = response.content.decode()
    assert "What changed from version 1 to version 2" in page
    assert '<del><strong class="nhsuk-tag nhsuk-tag--red">Removed</strong> Talk to your appraiser.</del>' in page
    assert (
        '<ins><strong class="nhsuk-tag nhsuk-tag--green">Added</strong> Talk to your responsible officer.</ins>' in page
    )
    changed = [section["name"] for section in response.context["changed"]]
    assert "Guidance" in changed and "Title" in changed and "Source link" not in changed
    # A draft is not a version the public can compare with; an unknown number is a 404, never a 500.
    assert client.get(url, {"from": 3, "to": 2}).status_code == 404
    assert client.get(url, {"from": "x"}).status_code == 404


def test_comparing_a_version_with_itself_asks_for_two_different_versions(client, editor, guidance_published):
    """The compare form lets anyone pick the same number twice: they are told to choose two, not shown a 404."""
    client.force_login(editor)  # an editor sees three versions, so the compare form is on the page
    url = reverse(
        "regulators:show_guidance_changes", kwargs={"regulator": "gmc", "slug": guidance_published.guidance.slug}
    )

    response = client.get(url, {"from": 2, "to": 2}, follow=True)

    assert response.status_code == 200
    assert "Choose two different versions to compare" in response.content.decode()
    assert "What changed from version 1 to version 2" in response.content.decode()


def test_hostile_markdown_renders_harmless(client):
    version = make_guidance_version(body=HOSTILE, senior_leaders=HOSTILE)
    page = client.get(detail_url(version)).content.decode()
    assert "<strong>world</strong>" in page
    for bad in ("<script>alert", "onerror", "javascript:", "onclick", "<img"):
        assert bad not in page
    api = client.get(
        reverse("regulators_api:show_guidance", kwargs={"regulator": "gmc", "slug": version.guidance.slug})
    )
    for field in ("body_html", "senior_leaders_html"):
        assert "<script" not in api.json()[field] and "onerror" not in api.json()[field]


def test_a_clinicians_own_regulator_comes_first(client):
    make_guidance_version(regulator="GDC", slug="a-dental", title="A dental guidance")
    make_guidance_version(regulator="NMC", slug="nursing", title="Nursing guidance")
    nurse = ClinicianProfileFactory(
        profession="nurse",
        regulator=Regulator.objects.get(code="NMC"),
        registration_number="12A3456E",
        career_stage="band_7",
        specialty_training_year=None,
    )
    assert [v.title for v in client.get(reverse("regulators:list_guidance")).context["versions"]] == [
        "A dental guidance",
        "Nursing guidance",
    ]
    client.force_login(nurse.user)
    response = client.get(reverse("regulators:list_guidance"))
    assert [v.title for v in response.context["versions"]] == ["Nursing guidance", "A dental guidance"]
    assert "Your regulator" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"regulator": "NMC"}, ["Nursing confirmer"]),
        ({"topic": "returning"}, ["Returning to practice"]),
        ({"level": "service"}, ["Any level at all", "Returning to practice"]),
        # Medical director is a board (organisation-level) role, so guidance for that level applies too.
        # Guidance that names only other roles (chief pharmacists) is left out.
        ({"role": "medical-director"}, ["Any level at all", "Medical directors only", "Nursing confirmer"]),
        ({"role": "chief-nurse"}, ["Any level at all", "Nursing confirmer"]),
        ({"role": "chief-pharmacist"}, ["Any level at all", "Chief pharmacists only", "Nursing confirmer"]),
        ({"search": "confirmer"}, ["Nursing confirmer"]),
        ({"search": "gdc"}, ["Returning to practice"]),
        # The same values as the API: a regulator code in any case.
        ({"regulator": "nmc"}, ["Nursing confirmer"]),
    ],
)
def test_filters_by_regulator_topic_level_role_and_search(client, params, titles):
    make_guidance_version(slug="md", title="Medical directors only", role_levels=[], roles=["medical-director"])
    make_guidance_version(
        slug="ph", title="Chief pharmacists only", role_levels=["organisation"], roles=["chief-pharmacist"]
    )
    make_guidance_version(slug="any", title="Any level at all", role_levels=[], topics=["cpd"])
    make_guidance_version(regulator="NMC", slug="confirmer", title="Nursing confirmer", topics=["responsible_officer"])
    make_guidance_version(
        regulator="GDC", slug="returning", title="Returning to practice", role_levels=["service"], topics=["returning"]
    )
    response = client.get(reverse("regulators:list_guidance"), params)
    assert response.status_code == 200
    assert sorted(v.title for v in response.context["versions"]) == titles


@pytest.mark.parametrize(
    ("params", "error"),
    [
        ({"regulator": "zzz"}, "Choose a regulator from the list"),
        ({"role": "4"}, "Choose a leadership role from the list"),
        ({"level": "galaxy"}, "Choose a role level from the list"),
        ({"topic": "x"}, "Choose a topic from the list"),
    ],
)
def test_unknown_filter_values_show_an_error_instead_of_all_guidance(client, params, error):
    make_guidance_version(slug="any", title="Any level at all", role_levels=[])
    response = client.get(reverse("regulators:list_guidance"), params)
    assert response.status_code == 200
    page = response.content.decode()
    assert "nhsuk-error-summary" in page and error in page
    assert "Any level at all" not in page and response.context["versions"] == []


def test_the_guidance_list_takes_the_same_queries_however_many_items(client, clinician, django_assert_max_num_queries):
    client.force_login(clinician)
    for index in range(3):
        make_guidance_version(slug=f"item-{index}", roles=["medical-director"])
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("regulators:list_guidance"))
    for index in range(3, 25):
        make_guidance_version(slug=f"item-{index}", roles=["medical-director"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("regulators:list_guidance"))
    assert len(response.context["versions"]) == 20


# --- Admin -----------------------------------------------------------------------------------------------------------


def test_editors_list_guidance_least_recently_reviewed_first(client, editor):
    today = timezone.localdate()
    make_guidance_version(slug="zz-recent", title="zz-recent", last_reviewed_on=today)
    make_guidance_version(slug="zz-old", title="zz-old", last_reviewed_on=today - timedelta(days=400))
    make_guidance_version(slug="zz-never", title="zz-never", last_reviewed_on=None)
    client.force_login(editor)
    for url_name in (
        "admin:regulators_licenceguidanceversion_changelist",
        "admin:regulators_licenceguidance_changelist",
    ):
        response = client.get(reverse(url_name))
        assert response.status_code == 200
        page = response.content.decode()
        assert page.index("zz-never") < page.index("zz-old") < page.index("zz-recent"), url_name


def test_editors_publish_a_new_version_in_the_admin(client, editor, guidance_published, guidance_draft):
    client.force_login(editor)
    response = client.post(
        reverse("admin:regulators_licenceguidanceversion_changelist"),
        {"action": "publish_selected", "_selected_action": [guidance_draft.pk]},
    )
    assert response.status_code == 302
    guidance_draft.refresh_from_db()
    guidance_published.refresh_from_db()
    assert (guidance_draft.status, guidance_published.status) == ("published", "superseded")


def test_publishing_nothing_reports_no_success(client, editor, guidance_published):
    """Publishing an already published version warns, with no green "Published 0." beside the warning."""
    client.force_login(editor)
    response = client.post(
        reverse("admin:regulators_licenceguidanceversion_changelist"),
        {"action": "publish_selected", "_selected_action": [guidance_published.pk]},
        follow=True,
    )
    texts = [str(message) for message in response.context["messages"]]
    assert any("Only a draft can be published" in text for text in texts)
    assert not any(text.startswith("Published") for text in texts)


def test_published_versions_are_read_only_for_editors(client, editor, guidance_published, guidance_draft):
    client.force_login(editor)
    page = client.get(
        reverse("admin:regulators_licenceguidanceversion_change", args=[guidance_published.pk])
    ).content.decode()
    assert 'name="title"' not in page
    page = client.get(
        reverse("admin:regulators_licenceguidanceversion_change", args=[guidance_draft.pk])
    ).content.decode()
    assert 'name="title"' in page


def test_clinicians_cannot_reach_the_guidance_admin(client, clinician):
    client.force_login(clinician)
    response = client.get(reverse("admin:regulators_licenceguidanceversion_changelist"))
    assert response.status_code == 302


# --- Starter content -------------------------------------------------------------------------------------------------


def test_starter_guidance_covers_the_five_regulators_and_topics_and_loads_once():
    counts = guidance_starter_content_load()
    assert counts.created == len(guidance_records())
    assert guidance_starter_content_load().created == 0
    published = LicenceGuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED)
    assert published.count() == len(guidance_records())
    codes = set(published.values_list("guidance__regulator__code", flat=True))
    assert {"GMC", "NMC", "HCPC", "GPhC", "GDC"} <= codes
    for code in ("GMC", "NMC", "HCPC", "GPhC", "GDC"):
        topics = {t for v in published.filter(guidance__regulator__code=code) for t in v.topics}
        assert {"returning"} <= topics, code
        assert topics & {"revalidation", "keeping_licence"}, code
    assert LicenceGuidance.objects.filter(regulator__code="GMC", slug="licence-and-registration").exists()
    assert all(v.source_url.startswith("https://") and v.senior_leaders.strip() for v in published)


def test_load_starter_content_also_loads_guidance_and_keeps_editors_changes():
    call_command("load_starter_content", stdout=open("/dev/null", "w"))  # noqa: SIM115
    version = LicenceGuidanceVersion.objects.get(guidance__slug="licence-and-registration")
    version.title = "Edited by an editor"
    version.save()
    call_command("load_guidance", stdout=open("/dev/null", "w"))  # noqa: SIM115
    version.refresh_from_db()
    assert version.title == "Edited by an editor"


def test_editors_add_a_draft_version_numbered_after_the_newest(client, editor, guidance_published, guidance_draft):
    """A new version starts as a draft, numbered next, and needs the senior-leaders section."""
    client.force_login(editor)
    url = reverse("admin:regulators_licenceguidanceversion_add")
    form = {
        "guidance": guidance_published.guidance.pk,
        "title": "Keeping your licence: fourth version",
        "summary": "Short summary.",
        "body": "Body.",
        "senior_leaders": "",
        "topics": ["revalidation"],
        "role_levels": ["organisation"],
        "source_url": "www.gmc-uk.org/",
        "effective_from": timezone.localdate().isoformat(),
    }
    response = client.post(url, form)
    assert response.status_code == 200 and "senior_leaders" in response.context["adminform"].form.errors
    response = client.post(url, {**form, "senior_leaders": "It applies to board members."})
    assert response.status_code == 302, response.content[:2000]
    version = LicenceGuidanceVersion.objects.get(title="Keeping your licence: fourth version")
    assert (version.number, version.status, version.source_url) == (4, "draft", "https://www.gmc-uk.org/")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_editors_starting_a_new_version_at_once_get_one_draft_and_a_clear_message():
    """Both click "Start a new version" together: one draft is made and the other editor is told to change it,
    instead of the second request failing on the version-number rule."""
    import threading

    from django.db import connections

    current = make_guidance_version(number=1)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def start(index):
        try:
            barrier.wait(timeout=10)
            results[index] = guidance_version_start_next(version=current, actor=None)
        except Exception as error:  # noqa: BLE001 - the test reports whatever each request met
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=start, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(type(result).__name__ for result in results) == ["DomainError", "LicenceGuidanceVersion"], results
    assert current.guidance.versions.filter(status=GuidanceStatus.DRAFT).count() == 1
