"""Writes for the pathways app: a clinician saving and unsaving pathways."""

from django.db import transaction

from config.errors import DomainError
from pathways.models import ContentStatus, Pathway, SavedPathway
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
