"""`{% load pathways_markdown %}` then `{{ pathway.body|markdown }}`: editors' Markdown as safe HTML."""

from django import template
from django.utils.safestring import SafeString, mark_safe

from pathways.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown", is_safe=True)
def markdown_filter(value) -> SafeString:
    """Render Markdown to sanitised HTML; marking it safe is sound because render_markdown sanitises."""
    return mark_safe(render_markdown(str(value) if value is not None else ""))  # noqa: S308
