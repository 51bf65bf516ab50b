"""The bench's arithmetic and reading, kept apart from what runs servers so it can be tested alone: the figures of
national scale side by side by population (with the targets of DESIGN.md section 8), the plain text table, and
what the bench reads back from the pages, the CSV export and its own Django scripts.

Nothing here imports the app or starts a process.
"""

import csv
import itertools
import json
import random
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

RESULT_MARK = "BENCH_RESULT "  # how a bench script run with `manage.py shell` hands back its JSON, a line of its own
NOT_MEASURED = "n/a"

# Targets (DESIGN.md section 8), judged at the largest population measured.
THROUGHPUT_KEPT = 0.8  # requests/s at the largest population over the smallest's, at least
P95_GROWTH = 3.0  # p95 at 10 users over p95 at 1 user, at most
FIRST_VIEW_TIMES_HEALTHZ = 20.0  # a first view's median over /healthz's, at most
INCREMENTAL_SHARE = 0.05  # an incremental refresh after the changes over a full rebuild, at most
SHOWS_WITHIN_SECONDS = 300.0  # from the last change written to the dashboard showing it, at most
WEB_HELD_SECONDS = 1.0  # asking for the national export, at most
WORKER_GROWTH_MB = 100.0  # the export worker's peak over its memory before the build, at most ("flat")
DISPATCH_FOLLOW_UPS_RATIO = 1.5  # the weekly dispatch with follow-ups over without, at most (issue 23)
SUCCESSION_OVER_DASHBOARD = 1.0  # the national succession table's first view over the HEE dashboard's, at most


@dataclass
class Stats:
    """One page's figures from one locust run."""

    requests: int
    failures: int
    per_second: float
    p50: float
    p95: float
    p99: float


@dataclass
class FirstViews:
    """Single-user views no cache has seen, each page asked with filters not asked before in the run, and
    `/healthz` asked between them."""

    healthz_ms: list[float] = field(default_factory=list)
    pages_ms: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass
class Refresh:
    """Roll-up refresh times, from `PipelineRollupRun.duration_ms` of the run each call made."""

    full_ms: float | None = None
    changes: int = 0  # interest records written through the services before the incremental refresh
    changes_seconds: float | None = None
    incremental_ms: float | None = None
    incremental_changed: int | None = None  # clinicians the incremental run folded in, as it recorded
    note: str = ""  # why a figure is missing


@dataclass
class Freshness:
    """From the last of the changes written to the national dashboard showing them, under the 10-user load."""

    changes: int = 0
    seconds: float | None = None  # None: not shown within the limit (or not measured: see note)
    limit: float = 0
    writing_seconds: float | None = None  # writing the changes, under the same load
    note: str = ""


@dataclass
class NationalExport:
    request_seconds: float | None = None  # the web request that asked for it: how long it held a web worker
    request_status: int | None = None
    built_seconds: float | None = None  # from asking to the file being ready (the worker's build)
    file_rows: int | None = None  # data rows in the file
    stated_rows: int | None = None  # the row count the file's last line states
    listed_total: int | None = None  # the drill-down's total of the same list (from the roll-ups)
    worker_before_mb: float | None = None
    worker_peak_mb: float | None = None
    note: str = ""


@dataclass
class SupportFigures:
    """Query counts of the support pages at each size of case, and the weekly dispatch's runs with and without
    opening follow-ups (bench/support.py)."""

    sizes: list[int] = field(default_factory=list)
    # page -> [{"items", "queries", "status"}], one per size (the follow-up rates also with every item: size 0)
    queries: dict[str, list[dict]] = field(default_factory=dict)
    # "with" / "without" -> [{"seconds", "nudges", "entries", "opened", "signals"}], in the order they ran
    dispatch: dict[str, list[dict]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def dispatch_medians(support: SupportFigures) -> tuple[float | None, float | None, float | None]:
    """Median seconds of the dispatch with and without follow-ups, and their ratio."""
    with_ = median(run["seconds"] for run in support.dispatch.get("with", []))
    without = median(run["seconds"] for run in support.dispatch.get("without", []))
    return with_, without, quotient(with_, without)


def queries_equal(cases: list[dict]) -> bool | None:
    """The same number of queries at every size (None when a case did not answer 200)."""
    if not cases or any(case["status"] != 200 for case in cases):
        return None
    return len({case["queries"] for case in cases}) == 1


@dataclass
class PopulationFigures:
    """Everything measured at one population; a part not run leaves its field None."""

    clinicians: int
    staff: dict[int, Stats] = field(default_factory=dict)  # users -> the staff mix's pages but signing in
    staff_errors: dict[int, list[str]] = field(default_factory=dict)
    first_views: FirstViews | None = None
    refresh: Refresh | None = None
    freshness: Freshness | None = None
    export: NationalExport | None = None
    support: SupportFigures | None = None


# --- arithmetic -----------------------------------------------------------------------------------------------------


def median(values: Iterable[float]) -> float | None:
    values = list(values)
    return statistics.median(values) if values else None


def quotient(top: float | None, bottom: float | None) -> float | None:
    if top is None or not bottom:
        return None
    return top / bottom


def met(value: float | None, limit: float, *, at_most: bool = True) -> str:
    """ "yes" or "no" against a target, "" when there is no value to judge."""
    if value is None:
        return ""
    return "yes" if (value <= limit if at_most else value >= limit) else "no"


def export_complete(export: NationalExport) -> bool | None:
    """The file has every row: its rows, the count its last line states and the drill-down's total agree. A file
    without a stated count is not known complete (a cut-off one looks the same). None: not measured."""
    if export.file_rows is None or export.listed_total is None:
        return None
    return export.stated_rows is not None and export.file_rows == export.stated_rows == export.listed_total


def distinct_filters(choices: dict[str, list], count: int, seed: int) -> list[dict]:
    """`count` different combinations of filters (each filter left out or one of its values, never all left out), in
    a random order that `seed` repeats: each is a question no cache has seen in the run."""
    options = [[None, *values] for values in choices.values()]
    combinations = [
        {name: value for name, value in zip(choices, picked, strict=True) if value is not None}
        for picked in itertools.product(*options)
    ]
    combinations = [combination for combination in combinations if combination]
    random.Random(seed).shuffle(combinations)  # noqa: S311 - the order of questions, not a secret
    return combinations[:count]


# --- reading --------------------------------------------------------------------------------------------------------

STAGE_ROW = re.compile(r'data-stage="(?P<stage>\w+)".*?aria-label="(?P<count>[\d,]+) clinicians', re.DOTALL)
LIST_TOTAL = re.compile(r'id="results">\s*(?:about\s+)?(?P<total>[\d,]+) clinician', re.IGNORECASE)
FIGURES_AS_OF = re.compile(r'id="figures-as-of">\s*([^<.]*)')


def stage_counts(html: str) -> dict[str, int]:
    """The dashboard's "clinicians at each stage", by stage key (`registered`, `interested`, ...)."""
    return {match["stage"]: int(match["count"].replace(",", "")) for match in STAGE_ROW.finditer(html)}


def listed_total(html: str) -> int | None:
    """The drill-down's total ("619,712 clinicians" or "about 619,700 clinicians")."""
    match = LIST_TOTAL.search(html)
    return int(match["total"].replace(",", "")) if match else None


def figures_as_of(html: str) -> str:
    match = FIGURES_AS_OF.search(html)
    return match.group(1).strip() if match else ""


CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="(?P<token>[^"]+)"')
REQUESTED = re.compile(r"[?&]requested=(?P<id>[0-9a-fA-F-]{32,36})")


def form_token(html: str) -> str | None:
    """The CSRF token of a page's form, if it has one (a page that asks before it does something)."""
    match = CSRF_INPUT.search(html)
    return match["token"] if match else None


def cookie_set(set_cookie_headers: Iterable[str], name_contains: str) -> str | None:
    """`name=value` of the first cookie a response set whose name contains `name_contains`."""
    for header in set_cookie_headers:
        pair = header.split(";", 1)[0].strip()
        if name_contains in pair.split("=", 1)[0]:
            return pair
    return None


def export_requested(location: str) -> str | None:
    """The id of the export a request made, from where it sent the person (`.../exports/?requested=<id>`)."""
    match = REQUESTED.search(location or "")
    return match["id"] if match else None


def script_result(output: str) -> dict:
    """The JSON a bench script printed on its `BENCH_RESULT` line (the last one), among whatever else it printed."""
    lines = [line for line in output.splitlines() if line.startswith(RESULT_MARK)]
    if not lines:
        raise ValueError(f"no {RESULT_MARK.strip()} line in:\n{output[-2000:]}")
    return json.loads(lines[-1][len(RESULT_MARK) :])


@dataclass
class ExportFile:
    records: int  # CSV records in all, headings included
    data_rows: int  # records as wide as the most common width, less the column headings
    last_line: str
    stated_rows: int | None  # the first number on the last line, if that line states a count


def export_file_summary(lines: Iterable[str]) -> ExportFile:
    """What a CSV export holds. The data rows are the widest records, less one for the column headings (which are
    as wide): the lines saying what the list is, above them, and a closing line below them are narrower. A last line
    that states how many rows there are gives the count a cut-off file would not match."""
    widths: Counter[int] = Counter()
    last: list[str] = []
    records = 0
    for record in csv.reader(lines):
        records += 1
        if record:
            widths[len(record)] += 1
            last = record
    widest = max(widths, default=0)
    data_rows = max(widths[widest] - 1, 0)
    last_line = ",".join(last)
    stated = re.search(r"\d[\d,]*", last_line) if len(last) < widest else None
    return ExportFile(records, data_rows, last_line, int(stated.group().replace(",", "")) if stated else None)


# --- printing -------------------------------------------------------------------------------------------------------


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for i, row in enumerate([headers, *rows]):
        cells = [str(row[0]).ljust(widths[0])] + [
            str(cell).rjust(w) for cell, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def number(value: float | None, digits: int = 0) -> str:
    return NOT_MEASURED if value is None else f"{value:,.{digits}f}"


Row = list[str]


def throughput_rows(results: list[PopulationFigures]) -> list[Row]:
    """Requests a second of the staff mix at 10 users, the largest population over the smallest (at least 0.8)."""
    at_10 = [result.staff.get(10) for result in results]
    values = [number(stats.per_second, 1) if stats else NOT_MEASURED for stats in at_10]
    smallest, largest = at_10[0], at_10[-1]
    kept = quotient(largest.per_second, smallest.per_second) if len(at_10) > 1 and smallest and largest else None
    target = f"largest/smallest >= {THROUGHPUT_KEPT}: {number(kept, 2)}"
    return [["staff mix, 10 users: requests/s", *values, target, met(kept, THROUGHPUT_KEPT, at_most=False)]]


def p95_rows(results: list[PopulationFigures]) -> list[Row]:
    """p95 at 1 and at 10 users; at the largest population 10 users' at most 3 times 1 user's."""
    rows = []
    for users in (1, 10):
        values = [number(result.staff[users].p95) if users in result.staff else NOT_MEASURED for result in results]
        rows.append([f"staff mix, {users} user{'s' * (users > 1)}: p95 ms", *values, "", ""])
    largest = results[-1].staff
    growth = quotient(largest[10].p95, largest[1].p95) if {1, 10} <= set(largest) else None
    rows[-1][-2:] = [f"10 users/1 user <= {P95_GROWTH:g}: {number(growth, 2)}", met(growth, P95_GROWTH)]
    errors = [
        " / ".join(str(result.staff[users].failures) if users in result.staff else NOT_MEASURED for users in (1, 10))
        for result in results
    ]
    rows.append(["staff mix: errors at 1 / 10 users", *errors, "none", ""])
    return rows


FIRST_VIEW_PAGES = [
    "HEE dashboard, new filters",
    "body admin dashboard, new filters",
    "drill-down, new filters",
    "clinicians API, new filters",
    "national succession table",
]
SUCCESSION_PAGE = "national succession table"


def first_view_rows(results: list[PopulationFigures]) -> list[Row]:
    """The median single-user first view of each page, with its multiple of `/healthz` in the same run."""
    views = [result.first_views for result in results]
    rows = [
        [
            "/healthz, single user: median ms",
            *(number(median(view.healthz_ms), 1) if view else NOT_MEASURED for view in views),
            "",
            "",
        ]
    ]
    for page in FIRST_VIEW_PAGES:
        cells, times = [], None
        for view in views:
            page_ms = median(view.pages_ms.get(page, [])) if view else None
            times = quotient(page_ms, median(view.healthz_ms)) if view else None
            cells.append(NOT_MEASURED if page_ms is None else f"{page_ms:,.0f} ({number(times)}x)")
        samples = len(views[-1].pages_ms.get(page, [])) if views[-1] else 0
        rows.append(
            [
                f"first view, {page}: median ms of {samples} (x /healthz)",
                *cells,
                f"<= {FIRST_VIEW_TIMES_HEALTHZ:g}x",
                met(times, FIRST_VIEW_TIMES_HEALTHZ),
            ]
        )
    over = []
    for view in views:
        succession = median(view.pages_ms.get(SUCCESSION_PAGE, [])) if view else None
        over.append(quotient(succession, median(view.pages_ms.get(FIRST_VIEW_PAGES[0], []))) if view else None)
    rows.append(
        [
            "national succession table / HEE dashboard, same run",
            *(number(ratio, 2) for ratio in over),
            f"<= {SUCCESSION_OVER_DASHBOARD:g}",
            met(over[-1], SUCCESSION_OVER_DASHBOARD),
        ]
    )
    return rows


def support_rows(results: list[PopulationFigures]) -> list[Row]:
    """Query counts of each support page at about 10 and about 1,000 items (equal at the largest population), and
    the weekly dispatch with follow-ups over without (at most 1.5)."""
    supports = [result.support for result in results]
    pages = list(dict.fromkeys(page for support in supports if support for page in support.queries))
    rows = []
    for page in pages:
        cells, equal = [], None
        for support in supports:
            cases = support.queries.get(page, []) if support else []
            cells.append(
                " / ".join(
                    f"{case['queries']} ({case['items']:,} items)" if case["status"] == 200 else f"{case['status']}"
                    for case in cases
                )
                or NOT_MEASURED
            )
            equal = queries_equal(cases)
        rows.append([f"{page}: queries (items)", *cells, "equal at every size", met_bool(equal)])
    medians = [dispatch_medians(support) if support else (None, None, None) for support in supports]
    rows.append(
        [
            "weekly dispatch, with / without follow-ups: median s",
            *(f"{number(w, 2)} / {number(wo, 2)}" for w, wo, _ in medians),
            "",
            "",
        ]
    )
    opened = []
    for support in supports:
        runs = support.dispatch.get("with", []) if support else []
        opened.append(f"{runs[0]['nudges']} / {runs[0]['entries']:,} / {runs[0]['opened']:,}" if runs else NOT_MEASURED)
    rows.append(["weekly dispatch: nudges / clinicians named / follow-ups opened", *opened, "", ""])
    alone = []
    for support, (with_, _, _) in zip(supports, medians, strict=True):
        step = (
            median(run.get("follow_ups_seconds", 0.0) for run in support.dispatch.get("with", [])) if support else None
        )
        share = quotient(step, with_)
        alone.append(NOT_MEASURED if step is None else f"{step:.3f} ({100 * (share or 0):.0f}%)")
    rows.append(["weekly dispatch: opening follow-ups alone, median s (share)", *alone, "", ""])
    ratio = medians[-1][2]
    rows.append(
        [
            "weekly dispatch, with follow-ups / without",
            *(number(r, 2) for _, _, r in medians),
            f"<= {DISPATCH_FOLLOW_UPS_RATIO:g}",
            met(ratio, DISPATCH_FOLLOW_UPS_RATIO),
        ]
    )
    return rows


def met_bool(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def refresh_rows(results: list[PopulationFigures]) -> list[Row]:
    """A full rebuild's time, the changes written, and the incremental refresh after them as a share of the full."""
    refreshes = [result.refresh for result in results]

    def seconds(ms: float | None) -> str:
        return number(ms / 1000 if ms is not None else None, 1)

    shares = [quotient(r.incremental_ms, r.full_ms) if r else None for r in refreshes]
    changes = next((f"{r.changes:,} " for r in reversed(refreshes) if r and r.changes), "")
    return [
        ["full rebuild of the roll-ups: s", *(seconds(r.full_ms) if r else NOT_MEASURED for r in refreshes), "", ""],
        [
            f"{changes}interest changes written through the services: s",
            *(number(r.changes_seconds, 1) if r else NOT_MEASURED for r in refreshes),
            "",
            "",
        ],
        [
            "incremental refresh after them: s (share of full; clinicians folded in)",
            *(
                f"{seconds(r.incremental_ms)} ({number(100 * share if share is not None else None, 1)}%; "
                f"{number(r.incremental_changed)})"
                if r and r.incremental_ms is not None
                else NOT_MEASURED
                for r, share in zip(refreshes, shares, strict=True)
            ),
            f"<= {100 * INCREMENTAL_SHARE:g}% of full",
            met(shares[-1], INCREMENTAL_SHARE),
        ],
    ]


def freshness_rows(results: list[PopulationFigures]) -> list[Row]:
    """From the last change written to the national dashboard showing it, under the 10-user load."""
    cells = []
    for result in results:
        fresh = result.freshness
        if fresh is None or (fresh.seconds is None and fresh.note):
            cells.append(NOT_MEASURED)
            continue
        shown = number(fresh.seconds) if fresh.seconds is not None else f"not within {fresh.limit:.0f}"
        cells.append(f"{shown} ({number(fresh.writing_seconds)})")
    last = results[-1].freshness
    verdict = ""
    if last is not None and not last.note:  # measured: not shown within the limit is a miss
        verdict = met(last.seconds if last.seconds is not None else float("inf"), SHOWS_WITHIN_SECONDS)
    label = "changes shown on the dashboard, 10-user load: s after the last (writing them)"
    return [[label, *cells, f"<= {SHOWS_WITHIN_SECONDS:.0f} s", verdict]]


def export_rows(results: list[PopulationFigures]) -> list[Row]:
    """The national export: how long asking held a web worker, whether the file is complete, the worker's memory."""
    exports = [result.export for result in results]

    def cell(export: NationalExport | None, text) -> str:
        return NOT_MEASURED if export is None else text(export)

    complete = [export_complete(export) if export else None for export in exports]
    last = exports[-1]
    growth = (
        last.worker_peak_mb - last.worker_before_mb
        if last and last.worker_peak_mb is not None and last.worker_before_mb is not None
        else None
    )
    return [
        [
            "national export: asking held a web worker, s",
            *(cell(e, lambda e: number(e.request_seconds, 2)) for e in exports),
            f"<= {WEB_HELD_SECONDS:g} s",
            met(last.request_seconds if last else None, WEB_HELD_SECONDS),
        ],
        [
            "national export: file ready after, s",
            *(cell(e, lambda e: number(e.built_seconds, 1)) for e in exports),
            "",
            "",
        ],
        [
            "national export: rows in file / on its last line / listed total",
            *(
                cell(e, lambda e: " / ".join(number(n) for n in (e.file_rows, e.stated_rows, e.listed_total)))
                for e in exports
            ),
            "all three equal",
            "" if complete[-1] is None else ("yes" if complete[-1] else "no"),
        ],
        [
            "national export: Celery worker memory before / peak, MB",
            *(cell(e, lambda e: f"{number(e.worker_before_mb)} / {number(e.worker_peak_mb)}") for e in exports),
            f"peak <= before + {WORKER_GROWTH_MB:.0f}",
            met(growth, WORKER_GROWTH_MB),
        ],
    ]


def notes(results: list[PopulationFigures]) -> list[str]:
    """Why figures are missing or what went wrong, a line each, by population."""
    found = []
    for result in results:
        parts = [
            ("first views", result.first_views and "; ".join(result.first_views.errors)),
            ("refresh", result.refresh and result.refresh.note),
            ("freshness", result.freshness and result.freshness.note),
            ("export", result.export and result.export.note),
            ("support", result.support and "; ".join(result.support.notes)),
            *(
                (f"staff mix at {users} users", "; ".join(errors))
                for users, errors in sorted(result.staff_errors.items())
            ),
        ]
        found += [f"{result.clinicians:,} clinicians, {part}: {text}" for part, text in parts if text]
    return found


FAULT_FIGURES = (
    "Fault figures (0 emails lost, 0 duplicated by connection resets, 0 web 500s while Redis is down or frozen) come "
    "from the integration tests, not this bench: tests/integration/ (`make test`), see docs/performance.md."
)


ROWS_OF_PART = {
    "throughput": [throughput_rows, p95_rows],
    "first-views": [first_view_rows],
    "refresh": [refresh_rows],
    "freshness": [freshness_rows],
    "export": [export_rows],
    "support": [support_rows],
}


def scale_report(results: list[PopulationFigures], parts: Iterable[str] = tuple(ROWS_OF_PART)) -> str:
    """Every figure of national scale the parts measured, a column per population (smallest first), with the target
    and whether the largest population meets it."""
    headers = ["figure", *(f"{result.clinicians:,}" for result in results), "target (at the largest)", "met"]
    rows = [row for part in ROWS_OF_PART if part in parts for rows_of in ROWS_OF_PART[part] for row in rows_of(results)]
    lines = [table(headers, rows)]
    lines += [f"  {note}" for note in notes(results)]
    lines.append(FAULT_FIGURES)
    return "\n".join(lines)
