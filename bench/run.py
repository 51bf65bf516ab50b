"""`make bench`: the performance figures (DESIGN.md section 8), measured side by side in one run.

    .venv/bin/python bench/run.py [--clinicians 1000000] [--repeat 21] [--warmup 3] [--live-repeat 5]

1. Makes sure the bench database holds the national population (bench/population.py: seeds it once, then reuses it;
   when it seeds, the seeding time and peak memory are figures too).
2. In this process, against that database and a Redis cache of its own (BENCH_CACHE_URL, as a deployment with
   several web processes has: sessions and cached dashboard figures are shared through it), with Django's
   test Client (no network, so what is measured is the server's own time): `/healthz` (the framework's floor,
   answered before sessions and the database), a signed-in request that only redirects (the floor of any signed-in
   page: the session read from Redis, the user from PostgreSQL), the
   dashboard with no filter and with two filters, the funnel computed live from the profile table, the drill-down
   page and the `clinicians/` API endpoint. Each is requested WARMUP times, then REPEAT times in turn
   (round-robin, so a busy moment on the shared machine hits them all alike); the median is reported.
   Pages are measured as repeated views (the targets are judged on these: the dashboard's rendered figures are
   kept per roll-up version, so a repeat shows the same figures; a list and its total are read every time) and as
   first views, with the cache emptied before every request (the roll-ups read and the page rendered), which is
   what the first person to ask pays after each refresh.
3. Query counts of the drill-down and the API at 10 and at 100 rows a page.
4. The drill-down CSV export of every clinician visible to national HEE staff, streamed by a separate process whose
   peak memory is measured.
5. bench/nudges.py, when present.

Prints PASS or MISS against each target; exits non-zero only when something fails to run, not on a missed target.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.population import (  # noqa: E402
    BENCH_DATABASE_URL,
    CLINICIANS,
    PYTHON,
    bench_environment,
    ensure_population,
    run_measured,
)

HEE_EMAIL = "hee@demo.test"
TWO_FILTERS = {"region": "london", "profession": "nurse"}
EXPORT_MEMORY_TARGET_MB = 250
SEED_SECONDS_TARGET = 600
SEED_MEMORY_TARGET_MB = 1536


@dataclass
class Row:
    measure: str
    figure: str
    target: str = ""
    passed: bool | None = None

    @property
    def verdict(self) -> str:
        return "" if self.passed is None else ("PASS" if self.passed else "MISS")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def setup_django(database_url: str) -> None:
    os.environ.update(bench_environment(database_url))
    import django

    django.setup()


def signed_in_client():
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=HEE_EMAIL))
    return client


def get_ok(client, path: str, params: dict | None = None):
    response = client.get(path, params or {})
    if response.status_code != 200:
        raise RuntimeError(f"GET {path} {params or ''} answered {response.status_code}")
    if not getattr(response, "streaming", False):
        response.content  # noqa: B018 - the page is rendered before the clock stops
    return response


def round_robin(measures: dict[str, Callable[[], object]], *, repeat: int, warmup: int) -> dict[str, float]:
    """Median seconds of each callable, run in turn REPEAT times after WARMUP untimed rounds."""
    for _ in range(warmup):
        for measure in measures.values():
            measure()
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            started = time.perf_counter()
            measure()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def signed_in_floor(client) -> None:
    """`/` for a signed-in person: session and user read, then a redirect to their home (no page rendered)."""
    response = client.get("/")
    if response.status_code != 302:
        raise RuntimeError(f"GET / answered {response.status_code}, not a redirect")


def empty_caches() -> None:
    """Empty the shared cache (the bench's own Redis database: cached dashboard figures, sessions, which are then
    read from the database again)."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


def query_count(call: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    return len(queries)


def rollups_fresh() -> float | None:
    """Refresh the roll-ups when they are missing or stale (outside any timing); return the refresh seconds."""
    from pipeline import selectors
    from pipeline.services import pipeline_rollups_refresh

    if not selectors.pipeline_figures_stale(selectors.pipeline_latest_run()):
        return None
    started = time.monotonic()
    pipeline_rollups_refresh()
    return time.monotonic() - started


def dashboard_rows(client, args, healthz_only: Callable[[], object]) -> list[Row]:
    from django.urls import NoReverseMatch, reverse

    from accounts.models import Region, User

    try:
        dashboard = reverse("pipeline:show_dashboard")
    except NoReverseMatch:
        return [Row("Dashboard", "not built yet (no URL named pipeline:show_dashboard)")]
    rows = []
    refresh = rollups_fresh()
    if refresh is not None:
        rows.append(Row("Roll-up refresh (before measuring; not a target)", f"{refresh:.1f} s"))

    def first_view(path: str, params: dict | None = None) -> Callable[[], object]:
        def call():
            empty_caches()
            return get_ok(client, path, params)

        return call

    # Repeated views and first views in separate rounds: a first view empties the cache the repeated ones use.
    times = round_robin(
        {
            "healthz": healthz_only,
            "signed in": lambda: signed_in_floor(client),
            "dashboard": lambda: get_ok(client, dashboard),
            "dashboard, two filters": lambda: get_ok(client, dashboard, TWO_FILTERS),
        },
        repeat=args.repeat,
        warmup=args.warmup,
    )
    times |= round_robin(
        {
            "dashboard first": first_view(dashboard),
            "dashboard, two filters first": first_view(dashboard, TWO_FILTERS),
        },
        repeat=args.repeat,
        warmup=args.warmup,
    )
    floor = times["healthz"]
    rows.append(Row("/healthz (the floor)", ms(floor)))
    rows.append(
        Row(
            "signed-in request that only redirects (floor of a page)",
            f"{ms(times['signed in'])} = {times['signed in'] / floor:.1f}x healthz",
        )
    )
    for name in ("dashboard", "dashboard, two filters"):
        ratio = times[name] / floor
        first = times[f"{name} first"]
        rows.append(
            Row(
                f"{name}: server time",
                f"{ms(times[name])} = {ratio:.1f}x healthz (first view after a refresh: {ms(first)} = "
                f"{first / floor:.0f}x)",
                "<= 10x",
                ratio <= 10,
            )
        )

    # The same funnel computed live from the profile table.
    from pipeline.selectors import PipelineFilters, pipeline_funnel_live

    user = User.objects.get(email=HEE_EMAIL)
    london = Region.objects.get(slug=TWO_FILTERS["region"])
    two = PipelineFilters(region_id=london.pk, profession=TWO_FILTERS["profession"])
    live = round_robin(
        {
            "live": lambda: pipeline_funnel_live(user, PipelineFilters()),
            "live, two filters": lambda: pipeline_funnel_live(user, two),
        },
        repeat=args.live_repeat,
        warmup=1,
    )
    for name, dashboard_name in (("live", "dashboard"), ("live, two filters", "dashboard, two filters")):
        speedup = live[name] / times[dashboard_name]
        first = live[name] / times[f"{dashboard_name} first"]
        rows.append(
            Row(
                f"funnel computed live ({name.partition(', ')[2] or 'no filter'})",
                f"{ms(live[name])}: the dashboard is {speedup:.0f}x faster (first view: {first:.0f}x)",
                ">= 50x",
                speedup >= 50,
            )
        )
    return rows


def list_rows(client, args, healthz_only: Callable[[], object]) -> list[Row]:
    from django.urls import NoReverseMatch, reverse
    from rest_framework.pagination import PageNumberPagination

    rows = []
    api = reverse("talent_api:list_clinicians")
    lists = {"clinicians/ API, 50 a page": (api, None)}
    try:
        drilldown = reverse("pipeline:list_drilldown")
        lists["drill-down page, 50 rows"] = (drilldown, {"stage": "interested"})
    except NoReverseMatch:
        drilldown = None
        rows.append(Row("Drill-down", "not built yet (no URL named pipeline:list_drilldown)"))

    def first_view(path: str, params: dict | None) -> Callable[[], object]:
        def call():
            empty_caches()
            return get_ok(client, path, params)

        return call

    # Repeated views and first views in separate rounds: a first view empties the cache the repeated ones use.
    measures = {"healthz": healthz_only}
    for name, (path, params) in lists.items():
        measures[name] = lambda path=path, params=params: get_ok(client, path, params)
    times = round_robin(measures, repeat=args.repeat, warmup=args.warmup)
    firsts = {f"{name} first": first_view(path, params) for name, (path, params) in lists.items()}
    times |= round_robin(firsts, repeat=args.first_repeat, warmup=1)
    floor = times.pop("healthz")
    for name in lists:
        ratio = times[name] / floor
        first = times[f"{name} first"]
        rows.append(
            Row(
                f"{name}: server time",
                f"{ms(times[name])} = {ratio:.1f}x healthz (total counted afresh: {ms(first)} = {first / floor:.0f}x)",
                "<= 20x",
                ratio <= 20,
            )
        )

    # Query counts at 10 and 100 rows a page (the page sizes are switched for this measurement only).
    default_size = PageNumberPagination.page_size
    counts = {}
    for size in (10, 100):
        PageNumberPagination.page_size = size
        try:
            response = None

            def call(size=size):
                nonlocal response
                response = get_ok(client, api)

            empty_caches()  # each count made afresh, so both sizes do the same work
            counts[size] = query_count(call)
            if len(response.json()["results"]) != size:
                raise RuntimeError(f"clinicians/ returned {len(response.json()['results'])} rows, not {size}")
        finally:
            PageNumberPagination.page_size = default_size
    rows.append(
        Row(
            "clinicians/ API: queries at 10 and 100 rows",
            f"{counts[10]} and {counts[100]}",
            "the same",
            counts[10] == counts[100],
        )
    )
    if drilldown:
        from pipeline.views import drilldown as pipeline_views

        default_per_page = pipeline_views.DRILLDOWN_PER_PAGE
        counts = {}
        for size in (10, 100):
            pipeline_views.DRILLDOWN_PER_PAGE = size
            try:
                empty_caches()
                counts[size] = query_count(lambda: get_ok(client, drilldown, {"stage": "interested"}))
            finally:
                pipeline_views.DRILLDOWN_PER_PAGE = default_per_page
        rows.append(
            Row(
                "drill-down page: queries at 10 and 100 rows",
                f"{counts[10]} and {counts[100]}",
                "the same",
                counts[10] == counts[100],
            )
        )
    return rows


def export_child(path: str) -> None:
    """In a separate process (so its peak memory is the export's): stream the CSV, count rows and bytes."""
    client = signed_in_client()
    started = time.monotonic()
    response = get_ok(client, path)
    rows = size = 0
    for part in response.streaming_content if response.streaming else [response.content]:
        size += len(part)
        rows += part.count(b"\n")
    response.close()
    print(json.dumps({"rows": rows, "bytes": size, "seconds": time.monotonic() - started}))


def export_rows(database_url: str) -> list[Row]:
    from django.urls import NoReverseMatch, reverse

    try:
        path = reverse("pipeline:export_drilldown")
    except NoReverseMatch:
        return [Row("CSV export", "not built yet (no URL named pipeline:export_drilldown)")]
    _, peak_mb, output = run_measured(
        [PYTHON, str(Path(__file__).resolve()), "--export-child", path],
        env=bench_environment(database_url),
        report=lambda line: None,
    )
    result = json.loads([line for line in output.splitlines() if line.startswith("{")][-1])
    return [
        Row(
            "CSV export of everyone national HEE may list: peak memory",
            f"{peak_mb:.0f} MB ({result['rows'] - 1:,} rows, {result['bytes'] / 1e6:.0f} MB in "
            f"{result['seconds']:.0f} s)",
            f"<= {EXPORT_MEMORY_TARGET_MB} MB",
            peak_mb <= EXPORT_MEMORY_TARGET_MB,
        )
    ]


def print_table(rows: list[Row]) -> None:
    width = max(len(row.measure) for row in rows)
    figure_width = max(len(row.figure) for row in rows)
    print()
    print(f"{'measure':<{width}}  {'figure':<{figure_width}}  {'target':<10}  result")
    print("-" * (width + figure_width + 26))
    for row in rows:
        print(f"{row.measure:<{width}}  {row.figure:<{figure_width}}  {row.target:<10}  {row.verdict}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description="The performance figures (make bench).")
    parser.add_argument("--clinicians", type=int, default=CLINICIANS)
    parser.add_argument("--database-url", default=BENCH_DATABASE_URL)
    parser.add_argument("--repeat", type=int, default=21, help="timed rounds (median reported)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--live-repeat", type=int, default=5, help="timed rounds of the slow live funnel")
    parser.add_argument(
        "--first-repeat", type=int, default=7, help="timed rounds of list views whose total is counted afresh"
    )
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--no-nudges", action="store_true", help="skip bench/nudges.py")
    parser.add_argument("--export-child", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.export_child:
        setup_django(os.environ["DATABASE_URL"])
        export_child(args.export_child)
        return

    info = ensure_population(clinicians=args.clinicians, database_url=args.database_url)
    rows = [Row("Population", f"{info.clinicians:,} synthetic clinicians, {info.training_bodies} training bodies")]
    if info.seeded:
        population = f" (population {info.population_seconds:.0f} s)" if info.population_seconds else ""
        rows.append(
            Row(
                "Seeding: seed_demo wall time, roll-up refresh included",
                f"{info.seed_seconds:.0f} s{population}",
                f"< {SEED_SECONDS_TARGET} s",
                info.seed_seconds < SEED_SECONDS_TARGET,
            )
        )
        rows.append(
            Row(
                "Seeding: peak memory",
                f"{info.seed_peak_rss_mb:.0f} MB",
                f"< {SEED_MEMORY_TARGET_MB} MB",
                info.seed_peak_rss_mb < SEED_MEMORY_TARGET_MB,
            )
        )
    else:
        rows.append(Row("Seeding", "reused the existing bench database (seeding figures: the run that made it)"))

    setup_django(info.database_url)
    client = signed_in_client()

    def healthz():
        return get_ok(client, "/healthz")

    print("Measuring the dashboard and the live funnel...", flush=True)
    rows += dashboard_rows(client, args, healthz)
    print("Measuring the drill-down and the clinicians/ API...", flush=True)
    rows += list_rows(client, args, healthz)
    if not args.no_export:
        print("Streaming the CSV export in a separate process...", flush=True)
        rows += export_rows(info.database_url)
    print_table(rows)

    nudges = ROOT / "bench" / "nudges.py"
    if nudges.exists() and not args.no_nudges:
        print("bench/nudges.py:", flush=True)
        subprocess.run([PYTHON, str(nudges)], cwd=ROOT, env=bench_environment(info.database_url), check=True)  # noqa: S603


if __name__ == "__main__":
    main()
