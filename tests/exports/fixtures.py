"""Exports ready for download, for the permission matrix and the exports tests."""

import pytest

from exports.models import Export, ExportKind
from exports.services import export_build, export_request


def ready_export(user, filters: dict | None = None) -> Export:
    """An export asked for by `user` and built at once (as the worker would after the request commits)."""
    export = export_request(user=user, kind=ExportKind.PIPELINE_CLINICIANS, filters=filters or {})
    export_build(export_id=str(export.pk))
    export.refresh_from_db()
    return export


@pytest.fixture
def hee_staff_export(hee_staff, clinician, other_clinician):
    """National HEE staff's export of every registered clinician who shares with HEE, ready to download."""
    return ready_export(hee_staff)
