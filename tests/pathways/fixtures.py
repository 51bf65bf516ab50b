"""Pathway and opportunity fixtures, shared by the whole suite (imported in tests/conftest.py for the matrix).

Built directly with the ORM so every area can use them. Leadership roles come from the data migration.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.models import ContentStatus, LeadershipRole, Opportunity, OpportunityKind, Pathway, PathwayStep


@pytest.fixture
def published_pathway(db, open_opportunity):
    """A published pathway for doctors into clinical director, with two ordered steps."""
    pathway = Pathway.objects.create(
        slug="doctor-to-clinical-director",
        title="From doctor in training to clinical director",
        summary="Build leadership experience alongside clinical training and move into a clinical director role.",
        body="## About this pathway\n\nA **published** pathway used in tests.",
        professions=["doctor"],
        target_role=LeadershipRole.objects.get(slug="clinical-director"),
        status=ContentStatus.PUBLISHED,
        published_at=timezone.now(),
        last_reviewed_on=timezone.localdate(),
    )
    first = PathwayStep.objects.create(
        pathway=pathway,
        order=1,
        title="Lead a quality improvement project",
        description="Lead a small improvement project in your department.",
        typical_duration="6 to 12 months",
        dimensions=["leading_with_care"],
    )
    first.suggested_opportunities.add(open_opportunity)
    PathwayStep.objects.create(
        pathway=pathway,
        order=2,
        title="Take a leadership fellowship",
        description="Spend a year out of programme in a leadership fellowship.",
        typical_duration="12 months",
    )
    return pathway


@pytest.fixture
def draft_pathway(db):
    """A draft pathway: visible only to editors in the admin site, 404 on public pages."""
    return Pathway.objects.create(
        slug="nurse-to-chief-nurse-draft",
        title="From staff nurse to chief nurse (draft)",
        summary="A draft pathway not yet published.",
        body="Draft body.",
        professions=["nurse"],
        target_role=LeadershipRole.objects.get(slug="chief-nurse"),
        status=ContentStatus.DRAFT,
    )


def _opportunity(*, slug: str, title: str, opens_in_days: int, closes_in_days: int, status: str, **extra):
    today = timezone.localdate()
    fields = {
        "slug": slug,
        "title": title,
        "provider": "Example Leadership Academy",
        "kind": OpportunityKind.PROGRAMME,
        "summary": f"{title} summary.",
        "description": f"## {title}\n\nA test opportunity.",
        "link": "https://example.org/opportunity",
        "opens_on": today + timedelta(days=opens_in_days),
        "closes_on": today + timedelta(days=closes_in_days),
        "status": status,
        "published_at": timezone.now() if status == ContentStatus.PUBLISHED else None,
    }
    fields.update(extra)
    return Opportunity.objects.create(**fields)


@pytest.fixture
def open_opportunity(db):
    """A published programme open today for anyone (no eligibility limits)."""
    return _opportunity(
        slug="open-leadership-programme",
        title="Open leadership programme",
        opens_in_days=-10,
        closes_in_days=20,
        status=ContentStatus.PUBLISHED,
        places=30,
    )


@pytest.fixture
def closed_opportunity(db):
    """A published fellowship whose application window has closed."""
    return _opportunity(
        slug="closed-leadership-fellowship",
        title="Closed leadership fellowship",
        opens_in_days=-60,
        closes_in_days=-5,
        status=ContentStatus.PUBLISHED,
        kind=OpportunityKind.FELLOWSHIP,
        professions=["doctor"],
    )


@pytest.fixture
def draft_opportunity(db):
    """A draft opportunity: 404 on public pages and the API."""
    return _opportunity(
        slug="draft-mentoring-scheme",
        title="Draft mentoring scheme",
        opens_in_days=-1,
        closes_in_days=30,
        status=ContentStatus.DRAFT,
        kind=OpportunityKind.MENTORING,
    )
