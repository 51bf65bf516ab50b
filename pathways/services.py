"""Writes for the pathways app: a clinician saving and unsaving pathways, and keeping the search text current."""

from django.db import transaction

from config.errors import DomainError
from pathways.models import ContentStatus, LeadershipRole, Pathway, PathwayStep, SavedPathway
from pathways.search import full_text_search_available, pathway_search_document
from talent.models import ClinicianProfile, EarlyInterestSignal, SignalKind
from talent.services import early_interest_signal_record


def _pathway_signal_exists(*, profile: ClinicianProfile, pathway: Pathway) -> bool:
    return EarlyInterestSignal.objects.filter(
        profile=profile, kind=SignalKind.PATHWAY_SAVED, detail__pathway=pathway.slug
    ).exists()


@transaction.atomic
def pathway_save(*, profile: ClinicianProfile, pathway: Pathway) -> SavedPathway:
    """Save a published pathway to the clinician's home. Saving twice is harmless. The first save is an
    early-interest signal (DESIGN.md section 4), recorded only for early-career clinicians; saving it again after
    removing it is not a new signal."""
    if pathway.status != ContentStatus.PUBLISHED:
        raise DomainError("This pathway is not available.")
    saved, created = SavedPathway.objects.get_or_create(profile=profile, pathway=pathway)
    if created and not _pathway_signal_exists(profile=profile, pathway=pathway):
        early_interest_signal_record(profile=profile, kind=SignalKind.PATHWAY_SAVED, detail={"pathway": pathway.slug})
    return saved


@transaction.atomic
def pathway_unsave(*, profile: ClinicianProfile, pathway: Pathway) -> bool:
    """Remove a pathway from the clinician's saved pathways; True if it was saved. The signal, being history, stays."""
    deleted, _ = SavedPathway.objects.filter(profile=profile, pathway=pathway).delete()
    return bool(deleted)


def pathway_search_refresh(*, pathway_ids: list[int] | None = None) -> None:
    """Rewrite the searchable text of these pathways (all when None) from their current words, steps and role.
    Nothing to do where there is no full-text search (SQLite)."""
    if not full_text_search_available(Pathway):
        return
    pathways = Pathway.objects.all() if pathway_ids is None else Pathway.objects.filter(pk__in=pathway_ids)
    pathways.update(search_vector=pathway_search_document(PathwayStep, LeadershipRole))
