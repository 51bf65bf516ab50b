"""CSV downloads of the pipeline: streamed, every field quoted, and safe to open in a spreadsheet."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse

from pipeline.spreadsheet import safe_cell


class _Echo:
    """A file-like object whose write returns the line, so csv.writer can feed a streaming response."""

    def write(self, value: str) -> str:
        return value


def _csv_stream(rows: Iterable[Iterable]) -> Iterator[str]:
    # Every field quoted, so a separator other than the comma (a spreadsheet set to ";") cannot split one.
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    for row in rows:
        yield writer.writerow([safe_cell(value) for value in row])


def csv_response(rows: Iterable[Iterable], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_csv_stream(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def filters_not_valid(*forms) -> HttpResponse:
    """A plain-text 400 naming what is wrong, for the CSV exports (a download has no page to show errors on)."""
    messages = [message for form in forms for errors in form.errors.values() for message in errors]
    text = "\n".join(["Those filters are not valid, so nothing was exported:", *messages])
    return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
