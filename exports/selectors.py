"""Reads of exports: always the asking person's own."""

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.permissions import Permission, user_can
from exports import kinds
from exports.models import Export, ExportState

YOUR_EXPORTS_SHOWN = 50


def exports_of(user: User) -> QuerySet[Export]:
    """The person's exports, newest first (the most recent YOUR_EXPORTS_SHOWN)."""
    return Export.objects.filter(requested_by=user).order_by("-created_at")[:YOUR_EXPORTS_SHOWN]


def export_for_download(*, user: User, export_id) -> Export | None:
    """The export's file, if this person may download it now: they asked for it, it is ready and not expired, they
    may still export, and they may still see everything it holds. Anyone else gets nothing (a 404)."""
    if not user_can(user, Permission.EXPORT_PIPELINE):
        return None
    export = Export.objects.filter(
        pk=export_id, requested_by=user, state=ExportState.READY, expires_at__gt=timezone.now()
    ).first()
    if export is None or not kinds.scope_still_covers(user=user, made_with=export.scope):
        return None
    return export
