"""Every cross reference in the starter content (regulator guidance, pathways, opportunities) is a link, and every
link inside the service leads to a published page.

The rendered content is scanned for what reads as a reference: "see ..." (in brackets or not), the title of another
item of content, and the phrases that point somewhere ("the regulator's own page", "the provider"). Each must be
inside a link.
"""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from pathways.markdown import render_markdown
from pathways.models import ContentStatus, Opportunity, Pathway, PathwayStep
from pathways.starter_content import starter_content_load
from regulators.models import GuidanceStatus, LicenceGuidanceVersion
from regulators.starter_content import guidance_starter_content_load

pytestmark = pytest.mark.django_db

# What reads as a reference to another page: "see X" (not "see it through", "see how"...), and pointing phrases.
LINK = "<link>"  # where a link was, in the text outside links
REFERENCE_CUES = [
    re.compile(r"\(see (?!<link>)", re.IGNORECASE),
    re.compile(r"\bsee (?!<link>|it\b|how\b|what\b|whether\b|that\b|you\b)\w+", re.IGNORECASE),
    re.compile(r"\bthe regulator's own page\b", re.IGNORECASE),
    re.compile(r"\bwith the provider\b", re.IGNORECASE),
    re.compile(r"\bsister scheme to the [A-Z]", re.IGNORECASE),
]


class _UnlinkedText(HTMLParser):
    """Collects the text of each paragraph that is not inside a link, and the links' addresses."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "a":
            self.depth += 1
            self.hrefs.append(dict(attrs).get("href", ""))
            self.text.append(f" {LINK} ")

    def handle_endtag(self, tag) -> None:
        if tag == "a":
            self.depth -= 1
        elif tag in {"p", "li", "h2", "h3", "td", "th"}:
            self.text.append("\n")

    def handle_data(self, data) -> None:
        if self.depth == 0:
            self.text.append(data)


def unlinked(html: str) -> tuple[str, list[str]]:
    parser = _UnlinkedText()
    parser.feed(html)
    parser.close()
    # One space between words, whatever the Markdown's lines and the links left.
    text = "\n".join(" ".join(line.split()) for line in "".join(parser.text).splitlines())
    return text, parser.hrefs


def rendered_content() -> list[tuple[str, str]]:
    """(where, rendered HTML) for every piece of Markdown a reader sees."""
    pieces = []
    for version in LicenceGuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED).select_related(
        "guidance__regulator"
    ):
        where = f"guidance {version.guidance.regulator.code}/{version.guidance.slug}"
        pieces.append((where, render_markdown(version.body)))
        pieces.append((where + " (senior leaders)", render_markdown(version.senior_leaders)))
    for pathway in Pathway.objects.filter(status=ContentStatus.PUBLISHED):
        pieces.append((f"pathway {pathway.slug}", render_markdown(pathway.body)))
    for step in PathwayStep.objects.filter(pathway__status=ContentStatus.PUBLISHED).select_related("pathway"):
        pieces.append((f"pathway {step.pathway.slug} step {step.order}", render_markdown(step.description)))
    for opportunity in Opportunity.objects.filter(status=ContentStatus.PUBLISHED):
        pieces.append((f"opportunity {opportunity.slug}", render_markdown(opportunity.description)))
    return pieces


def other_titles() -> list[str]:
    """Titles of every published item: naming one is referring to it."""
    return [
        *Pathway.objects.filter(status=ContentStatus.PUBLISHED).values_list("title", flat=True),
        *Opportunity.objects.filter(status=ContentStatus.PUBLISHED).values_list("title", flat=True),
        *LicenceGuidanceVersion.objects.filter(status=GuidanceStatus.PUBLISHED).values_list("title", flat=True),
    ]


@pytest.fixture
def starter_content():
    starter_content_load()
    guidance_starter_content_load()


def test_every_cross_reference_in_the_starter_content_is_a_link(starter_content):
    titles = other_titles()
    problems = []
    for where, html in rendered_content():
        text, _ = unlinked(html)
        for cue in REFERENCE_CUES:
            problems += [f"{where}: {match.group(0)!r} is not a link" for match in cue.finditer(text)]
        problems += [f"{where}: names {title!r} without a link" for title in titles if title.lower() in text.lower()]
    assert problems == []


def test_every_link_inside_the_service_leads_to_a_published_page(client, starter_content):
    internal = set()
    for _, html in rendered_content():
        internal |= {href for href in unlinked(html)[1] if href.startswith("/")}
    assert len(internal) >= 7  # the pages the starter content refers to
    for href in sorted(internal):
        assert client.get(href).status_code == 200, href


def test_the_scan_catches_an_unlinked_reference():
    """The check itself: a "see ..." reference or another item's title outside a link is found."""
    text, _ = unlinked(render_markdown("You can give it up (see licence and registration)."))
    assert any(cue.search(text) for cue in REFERENCE_CUES)
    text, _ = unlinked(render_markdown("You can give it up (see [licence and registration](/licence/gmc/x/))."))
    assert not any(cue.search(text) for cue in REFERENCE_CUES)


def test_the_guidance_page_shows_the_reference_as_a_link(client, starter_content):
    url = reverse(
        "regulators:show_guidance", kwargs={"regulator": "gmc", "slug": "keeping-your-licence-in-a-senior-role"}
    )
    page = client.get(url).content.decode()
    assert (
        '<a href="/licence/gmc/licence-and-registration/" rel="noopener noreferrer">'
        "Licence to practise and registration are not the same</a>" in page
    )
