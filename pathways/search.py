"""Pathway search: what a pathway's searchable text is, and how a search becomes a query.

On PostgreSQL each pathway keeps its text as a weighted tsvector (`Pathway.search_vector`, GIN-indexed): its title
counts most (A), then its summary and target role (B), its introduction (C) and its steps (D), so a search ranks a
match in the title first. The vector is rewritten whenever a pathway, one of its steps or its role changes
(pathways.signals). SQLite, the demo's embedded database, has no full-text search: there a plain match is used.
"""

import re

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connections, router
from django.db.models import OuterRef, Subquery, TextField, Value
from django.db.models.functions import Concat

SEARCH_CONFIG = "english"
MAX_WORDS = 20


def full_text_search_available(model) -> bool:
    return connections[router.db_for_write(model)].vendor == "postgresql"


def pathway_search_document(step_model, role_model) -> SearchVector:
    """The weighted text of a pathway (an expression over the pathway row), for `update(search_vector=...)`."""
    steps = (
        step_model.objects.filter(pathway=OuterRef("pk"))
        .order_by()
        .values("pathway")
        .annotate(text=StringAgg(Concat("title", Value(" "), "description", output_field=TextField()), delimiter=" "))
        .values("text")
    )
    role = role_model.objects.filter(pk=OuterRef("target_role_id")).values("name")
    return (
        SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
        + SearchVector(Subquery(role), weight="B", config=SEARCH_CONFIG)
        + SearchVector("body", weight="C", config=SEARCH_CONFIG)
        + SearchVector(Subquery(steps), weight="D", config=SEARCH_CONFIG)
    )


def search_words(text: str) -> list[str]:
    """The words of a search, letters and digits only, so nothing typed reaches the query syntax."""
    return re.findall(r"\w+", (text or "").lower())[:MAX_WORDS]


def search_query(words: list[str]) -> SearchQuery:
    """Every word must match, stemmed, or as the start of a longer word ("clinic" finds "clinical")."""
    return SearchQuery(" & ".join(f"{word}:*" for word in words), search_type="raw", config=SEARCH_CONFIG)
