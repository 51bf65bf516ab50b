"""Reading an export as its requester does: ask on the drill-down's export page, let the task build the file
(in-process in unit tests) and download it."""

import csv
import io
from urllib.parse import parse_qs, urlparse

from django.test import TestCase
from django.urls import reverse

from exports.models import Export
from pipeline.selectors import DRILLDOWN_EXPORT_HEADER


def request_export(client, query: str = "") -> Export:
    """POST the export page as its button does; the request commits, and its task runs."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("pipeline:export_drilldown") + query)
    assert response.status_code == 302, response.content[:500]
    [export_id] = parse_qs(urlparse(response.url).query)["requested"]
    return Export.objects.get(pk=export_id)


def download(client, export: Export):
    return client.get(reverse("exports:download_export", kwargs={"export_id": export.pk}))


def file_rows(client, export: Export) -> list[list[str]]:
    response = download(client, export)
    assert response.status_code == 200, response.content[:500]
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def export_file(client, query: str = "") -> list[list[str]]:
    """The whole file of the drill-down export of `query` (e.g. "?stage=in_role"): heading, columns, rows, end."""
    return file_rows(client, request_export(client, query))


def listed(rows: list[list[str]]) -> list[list[str]]:
    """The clinicians of an export file: after its column names, before its last line."""
    start = rows.index(list(DRILLDOWN_EXPORT_HEADER)) + 1
    assert rows[-1][0].startswith("End of export: ")
    return rows[start:-1]
