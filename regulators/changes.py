"""What changed between two versions of a guidance item, as readers see it.

The comparison is of the rendered text, paragraph by paragraph: readers never see Markdown, so a change of line
endings (the admin's text boxes send CRLF), spacing or emphasis markers alone is no change, and a changed paragraph
is shown whole, as it reads on the page.
"""

import difflib
from html.parser import HTMLParser

from django.utils.formats import date_format

from pathways.markdown import render_markdown
from regulators.models import LicenceGuidanceVersion

# Each of these starts or ends a paragraph of its own (a list item, a heading, a table cell...).
BLOCK_TAGS = {
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "table",
    "td",
    "th",
    "tr",
    "ul",
}


class _Paragraphs(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self._text: list[str] = []

    def _flush(self) -> None:
        text = " ".join("".join(self._text).split())
        if text:
            self.paragraphs.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
        elif tag == "br":
            self._text.append(" ")

    def handle_endtag(self, tag) -> None:
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data) -> None:
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def paragraphs_of_html(html: str) -> list[str]:
    """The text of each paragraph (or list item, heading, cell) of some HTML, whitespace made single spaces."""
    parser = _Paragraphs()
    parser.feed(html)
    parser.close()
    return parser.paragraphs


def paragraphs_of_markdown(text: str) -> list[str]:
    return paragraphs_of_html(render_markdown(text))


def paragraph_changes(old: list[str], new: list[str]) -> list[dict]:
    """Each paragraph marked "same", "removed" or "added", in reading order."""
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [{"kind": "same", "text": text} for text in old[i1:i2]]
            continue
        rows += [{"kind": "removed", "text": text} for text in old[i1:i2]]
        rows += [{"kind": "added", "text": text} for text in new[j1:j2]]
    return rows


def set_changes(old: list[str], new: list[str], *, empty: str = "") -> list[dict]:
    """A comparison of two lists whose order means nothing (topics, levels, roles): only what was added or removed
    counts, so reordering them is not reported as a change."""
    kept = [{"kind": "same", "text": item} for item in new if item in old]
    removed = [{"kind": "removed", "text": item} for item in old if item not in new]
    added = [{"kind": "added", "text": item} for item in new if item not in old]
    rows = kept + removed + added
    if not rows and empty:
        rows = [{"kind": "same", "text": empty}]
    return rows


def _plain(text: str) -> list[str]:
    text = " ".join((text or "").split())
    return [text] if text else []


def _section(name: str, rows: list[dict]) -> dict:
    # Changed when a row says so, so the summary and the marked paragraphs can never disagree.
    return {"name": name, "changed": any(row["kind"] != "same" for row in rows), "lines": rows}


def compared_sections(old: LicenceGuidanceVersion, new: LicenceGuidanceVersion) -> list[dict]:
    """The sections of two versions in page order, each with its paragraphs marked and whether anything changed."""
    return [
        _section("Title", paragraph_changes(_plain(old.title), _plain(new.title))),
        _section("Summary", paragraph_changes(_plain(old.summary), _plain(new.summary))),
        _section(
            "How this applies to senior leaders",
            paragraph_changes(paragraphs_of_markdown(old.senior_leaders), paragraphs_of_markdown(new.senior_leaders)),
        ),
        _section("Guidance", paragraph_changes(paragraphs_of_markdown(old.body), paragraphs_of_markdown(new.body))),
        _section("Topics", set_changes(old.topic_labels, new.topic_labels)),
        _section("Role levels", set_changes(old.role_level_labels, new.role_level_labels, empty="Any")),
        _section(
            "Roles",
            set_changes(
                [role.name for role in old.roles.order_by("name")],
                [role.name for role in new.roles.order_by("name")],
                empty="Any",
            ),
        ),
        _section("Source link", paragraph_changes(_plain(old.source_url), _plain(new.source_url))),
        _section(
            "Effective from",
            paragraph_changes([date_format(old.effective_from, "j F Y")], [date_format(new.effective_from, "j F Y")]),
        ),
    ]


def changed_section_names(old: LicenceGuidanceVersion, new: LicenceGuidanceVersion) -> list[str]:
    return [section["name"] for section in compared_sections(old, new) if section["changed"]]
