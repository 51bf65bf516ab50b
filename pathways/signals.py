"""Keep each pathway's searchable text current however it changes: the admin site (its steps are inlines), the
starter content, the demo, or code. Searching reads a stored vector so its GIN index can be used."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pathways.models import LeadershipRole, Pathway, PathwayStep
from pathways.services import pathway_search_refresh


@receiver(post_save, sender=Pathway, dispatch_uid="pathway_search_on_pathway")
def _pathway_saved(sender, instance: Pathway, raw: bool = False, **kwargs) -> None:
    if not raw:
        pathway_search_refresh(pathway_ids=[instance.pk])


@receiver(post_save, sender=PathwayStep, dispatch_uid="pathway_search_on_step_saved")
@receiver(post_delete, sender=PathwayStep, dispatch_uid="pathway_search_on_step_deleted")
def _step_changed(sender, instance: PathwayStep, raw: bool = False, **kwargs) -> None:
    if not raw:
        pathway_search_refresh(pathway_ids=[instance.pathway_id])


@receiver(post_save, sender=LeadershipRole, dispatch_uid="pathway_search_on_role")
def _role_saved(sender, instance: LeadershipRole, raw: bool = False, **kwargs) -> None:
    if not raw:
        pathway_search_refresh(
            pathway_ids=list(Pathway.objects.filter(target_role=instance).values_list("pk", flat=True))
        )
