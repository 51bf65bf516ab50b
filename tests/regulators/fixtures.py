"""Fixtures for regulator guidance and revalidation, shared by the whole suite (the permission matrix uses them).

Built directly with the ORM; regulators and leadership roles come from the data migrations.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from pathways.models import LeadershipRole
from regulators.models import GuidanceStatus, LicenceGuidance, LicenceGuidanceVersion, Regulator, RevalidationRecord


def make_guidance_version(
    *,
    regulator: str = "GMC",
    slug: str = "keeping-your-licence",
    number: int = 1,
    status: str = GuidanceStatus.PUBLISHED,
    title: str = "Keeping your licence as a medical director",
    role_levels: list[str] | None = None,
    roles: list[str] = (),
    topics: list[str] | None = None,
    **extra,
) -> LicenceGuidanceVersion:
    guidance, _ = LicenceGuidance.objects.get_or_create(regulator=Regulator.objects.get(code=regulator), slug=slug)
    now = timezone.now()
    fields = {
        "title": title,
        "summary": f"{title}: a summary.",
        "body": f"## {title}\n\nRevalidate every five years through **annual appraisal**.",
        "senior_leaders": "Your appraisal covers your leadership work too.",
        "topics": ["revalidation", "keeping_licence"] if topics is None else topics,
        "role_levels": ["organisation", "system", "national"] if role_levels is None else role_levels,
        "source_url": "https://www.gmc-uk.org/",
        "effective_from": timezone.localdate() - timedelta(days=30),
        "last_reviewed_on": timezone.localdate() - timedelta(days=10),
        "status": status,
        "published_at": now if status != GuidanceStatus.DRAFT else None,
        "superseded_at": now if status == GuidanceStatus.SUPERSEDED else None,
    }
    fields.update(extra)
    version = LicenceGuidanceVersion.objects.create(guidance=guidance, number=number, **fields)
    if roles:
        version.roles.set(LeadershipRole.objects.filter(slug__in=roles))
    return version


@pytest.fixture
def guidance_published(db):
    """GMC guidance for board level and above, especially medical directors: version 2 is current, version 1 is
    superseded, version 3 is an editor's draft."""
    make_guidance_version(
        number=1,
        status=GuidanceStatus.SUPERSEDED,
        title="Keeping your licence as a medical director (old)",
        roles=["medical-director"],
    )
    current = make_guidance_version(number=2, roles=["medical-director"])
    make_guidance_version(number=3, status=GuidanceStatus.DRAFT, title="Keeping your licence: draft rewrite")
    return current


@pytest.fixture
def guidance_superseded(guidance_published):
    return guidance_published.guidance.versions.get(number=1)


@pytest.fixture
def guidance_draft(guidance_published):
    return guidance_published.guidance.versions.get(number=3)


@pytest.fixture
def guidance_draft_only(db):
    """A guidance item that has only a draft: it does not exist for anyone but editors."""
    return make_guidance_version(regulator="NMC", slug="draft-only", status=GuidanceStatus.DRAFT, title="Draft only")


@pytest.fixture
def clinician_revalidation(clinician):
    """The `clinician` fixture's revalidation record (GMC), due in 200 days."""
    today = timezone.localdate()
    return RevalidationRecord.objects.create(
        profile=clinician.clinician_profile,
        regulator=clinician.clinician_profile.regulator,
        next_due_on=today + timedelta(days=200),
        designated_body="Example Teaching Hospitals",
        responsible_officer="Dr A Officer",
    )
