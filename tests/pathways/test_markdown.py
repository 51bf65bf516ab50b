"""Editors' Markdown reaches the page as safe HTML: formatting survives, anything that could run code does not."""

import pytest
from django.template import Context, Template

from pathways.markdown import render_markdown

HOSTILE = [
    pytest.param("<script>alert('x')</script>", id="script-tag"),
    pytest.param("<SCRIPT SRC=https://evil.example/x.js></SCRIPT>", id="script-src-uppercase"),
    pytest.param('<img src="x" onerror="alert(1)">', id="img-onerror"),
    pytest.param('<a href="https://example.org" onclick="alert(1)">hi</a>', id="onclick"),
    pytest.param('<p onmouseover="alert(1)">hover</p>', id="onmouseover"),
    pytest.param("[click](javascript:alert(1))", id="markdown-javascript-link"),
    pytest.param('<a href="JaVaScRiPt:alert(1)">x</a>', id="html-javascript-link-mixed-case"),
    pytest.param('<a href="&#106;avascript:alert(1)">x</a>', id="entity-encoded-javascript"),
    pytest.param("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="markdown-data-url"),
    pytest.param("![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)", id="data-url-image"),
    pytest.param("<style>body { display: none }</style>", id="style-tag"),
    pytest.param('<p style="background:url(javascript:alert(1))">x</p>', id="style-attribute"),
    pytest.param('<iframe src="https://evil.example"></iframe>', id="iframe"),
    pytest.param("<svg><script>alert(1)</script></svg>", id="svg-script"),
    pytest.param('<form action="https://evil.example"><input name="pw"></form>', id="form"),
]
FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onmouseover",
    "javascript:",
    "data:",
    "<style",
    "style=",
    "<iframe",
    "<svg",
    "<form",
    "<input",
    "alert(1)</script",
    "<img",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_harmless(text):
    """An editor (or an attacker with an editor's account) cannot put anything on a page that runs code."""
    html = render_markdown(text).lower()
    for fragment in FORBIDDEN:
        assert fragment not in html, (fragment, html)


def test_script_content_is_dropped_not_shown_as_text():
    """A pasted script disappears entirely instead of appearing as stray code on the page."""
    assert "alert" not in render_markdown("Before <script>alert('x')</script> after")


def test_normal_markdown_survives():
    """Headings, lists, emphasis and links written by editors look as intended."""
    html = render_markdown(
        "## What it involves\n\nSome **bold** and *emphasis*.\n\n- one\n- two\n\n1. first\n2. second\n\n"
        '[Provider](https://www.leadershipacademy.nhs.uk/ "Provider site") and [mail](mailto:a@example.org)'
    )
    assert "<h2>What it involves</h2>" in html
    assert "<strong>bold</strong>" in html and "<em>emphasis</em>" in html
    assert '<ul class="nhsuk-list nhsuk-list--bullet">' in html and "<li>one</li>" in html
    assert '<ol class="nhsuk-list nhsuk-list--number">' in html
    assert 'href="https://www.leadershipacademy.nhs.uk/"' in html
    assert 'href="mailto:a@example.org"' in html


def test_links_get_noopener():
    """Links cannot reach back into the page that opened them."""
    html = render_markdown("[site](https://example.org)")
    assert 'rel="noopener noreferrer"' in html


def test_top_level_heading_is_demoted():
    """The page keeps a single main heading even when an editor writes one in the body."""
    html = render_markdown("# Title")
    assert "<h1>" not in html and "<h2>Title</h2>" in html


def test_empty_text_renders_nothing():
    """Empty bodies leave nothing behind on the page."""
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_template_filter_outputs_safe_html():
    """Templates show the formatting rather than escaped tags, and still strip scripts."""
    output = Template("{% load pathways_markdown %}{{ body|markdown }}").render(
        Context({"body": "**hi** <script>alert(1)</script>"})
    )
    assert "<strong>hi</strong>" in output
    assert "<script" not in output and "&lt;strong" not in output
