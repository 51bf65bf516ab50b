"""Markdown written by content editors, rendered to HTML that is safe to put on a page.

Markdown lets editors write raw HTML, so the rendered HTML is sanitised with nh3 (an allow-list): only plain text
formatting survives. Scripts, styles, iframes, forms, images, event-handler attributes and any URL that is not
http(s), mailto or tel (so no `javascript:` or `data:`) are removed. Links get rel="noopener noreferrer".
"""

import re

import markdown as markdown_lib
import nh3

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
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
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
# h1 is allowed through the sanitiser only to be demoted to h2 below: the page already has its own h1.
_SANITISER_TAGS = ALLOWED_TAGS | {"h1"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with everything inside them (their text is never content).
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "textarea", "select"}
# NHS.UK frontend styling, so rendered content looks like the rest of the service.
NHSUK_CLASSES = {
    "ul": {"class": "nhsuk-list nhsuk-list--bullet"},
    "ol": {"class": "nhsuk-list nhsuk-list--number"},
    "table": {"class": "nhsuk-table"},
}

_H1 = re.compile(r"<(/?)h1>")


def sanitise_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes."""
    cleaned = nh3.clean(
        html,
        tags=_SANITISER_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        set_tag_attribute_values=NHSUK_CLASSES,
        strip_comments=True,
    )
    return _H1.sub(r"<\1h2>", cleaned)


def render_markdown(text: str | None) -> str:
    """Markdown to sanitised HTML. Empty or missing text gives an empty string."""
    if not text:
        return ""
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    return sanitise_html(html)
