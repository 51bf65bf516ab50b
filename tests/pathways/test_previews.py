"""Content editors preview a draft pathway or opportunity on the page clinicians will see once it is published, from
the admin site; nobody else can open a draft, and no list shows one."""

import pytest
from django.urls import reverse

from pathways.models import ContentStatus

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("fixture", "page_name", "admin_name", "template"),
    [
        ("draft_pathway", "pathways:show_pathway", "admin:pathways_pathway_change", "pathways/pathway_detail.html"),
        (
            "draft_opportunity",
            "pathways:show_opportunity",
            "admin:pathways_opportunity_change",
            "pathways/opportunity_detail.html",
        ),
    ],
)
def test_an_editor_previews_a_draft_from_the_admin_on_the_clinicians_page(
    client, request, editor, clinician, fixture, page_name, admin_name, template
):
    draft = request.getfixturevalue(fixture)
    url = reverse(page_name, kwargs={"slug": draft.slug})
    client.force_login(editor)

    change = client.get(reverse(admin_name, args=[draft.pk])).content.decode()
    preview = client.get(url)

    assert f'<a href="{url}">Preview this draft as clinicians will see it</a>' in change
    assert preview.status_code == 200
    assert preview.templates[0].name == template
    assert "Draft: not published" in preview.content.decode()
    assert draft.title in preview.content.decode()
    client.force_login(clinician)
    assert client.get(url).status_code == 404
    # Once published, clinicians read the same page, without the draft notice.
    type(draft).objects.filter(pk=draft.pk).update(status=ContentStatus.PUBLISHED, published_at=draft.created_at)
    published = client.get(url)
    assert published.templates[0].name == template
    assert "Draft: not published" not in published.content.decode()


def test_the_add_forms_say_to_save_before_previewing(client, editor):
    client.force_login(editor)
    for name in ("admin:pathways_pathway_add", "admin:pathways_opportunity_add"):
        page = client.get(reverse(name))
        assert page.status_code == 200
        assert "Save it first." in page.content.decode()
