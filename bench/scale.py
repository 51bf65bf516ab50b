"""The figures of national scale measured against a checkout bench/run.py serves: first views, roll-up refreshes,
how soon changes show under load, and the national export (the loads themselves are bench/run.py's).

Each function measures one figure and returns it (bench/figures.py holds the arithmetic and the report). Writes go
through the app's own services, in `manage.py shell` scripts run with the checkout's code and environment; a
script hands its answer back on a `BENCH_RESULT` line. Where the app does not offer what a figure needs yet (an
incremental refresh, exports built by a task), the figure says "not available" and why.
"""

import http.client
import io
import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlencode

from bench.figures import (
    ExportFile,
    FirstViews,
    Freshness,
    NationalExport,
    Refresh,
    cookie_set,
    distinct_filters,
    export_file_summary,
    export_requested,
    form_token,
    listed_total,
    script_result,
    stage_counts,
)


class Served(Protocol):
    """What is measured: a checkout served by gunicorn (bench.run.Target)."""

    port: int
    root: Path
    python: str
    reference: Path | None

    def env(self) -> dict[str, str]: ...


# The filters people use, as bench/locustfile.py draws them (it is not imported: importing locust patches sockets).
PROFESSIONS = ["doctor", "nurse", "midwife", "nursing_associate", "paramedic", "physiotherapist", "pharmacist"]
CAREER_STAGES = ["foundation", "core_training", "specialty_training", "sas", "consultant_gp", "band_5", "band_6"]
STAGES = ["registered", "interested", "developing", "nominated", "approved", "in_role"]
HEALTHZ_PER_ROUND = 5
WARM_UP_ROUNDS = 8  # enough for every gunicorn worker to have made its connections and loaded its templates
POLL_SECONDS = 5
SHOWN_WITHIN = 5  # counts on the dashboard may be rounded to the nearest 5


# --- talking to the served app ----------------------------------------------------------------------------------


def get(target: Served, path: str, cookie: str = "", timeout: float = 120) -> tuple[int, str, float]:
    """GET a page over HTTP as a browser would (a new connection, as gunicorn's sync workers close each): its status,
    its body and the milliseconds until the last byte."""
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=timeout)
    started = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        body = response.read().decode(errors="replace")
    finally:
        connection.close()
    return response.status, body, 1000 * (time.perf_counter() - started)


def reference_of(target: Served) -> dict:
    return json.loads(target.reference.read_text())


def session_cookie(reference: dict, email: str) -> str:
    """The cookie of the session the bench made for `email` before serving (as if they had signed in earlier)."""
    name, key = reference["sessions"][email]
    return f"{name}={key}"


def django_script(target: Served, script: str, **env: str) -> dict:
    """Run a script in the checkout with `manage.py shell` and return what it printed on its BENCH_RESULT line."""
    done = subprocess.run(  # noqa: S603 - our own command line
        [target.python, "manage.py", "shell", "--verbosity=0", "-c", script],
        cwd=target.root,
        env=target.env() | env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"A bench script failed:\n{done.stderr[-3000:]}")
    return script_result(done.stdout)


@dataclass
class Celery:
    """A Celery worker (and beat, when asked) serving one checkout, as a deployment runs them."""

    worker: subprocess.Popen
    beat: subprocess.Popen | None

    def processes(self) -> list[subprocess.Popen]:
        return [process for process in (self.worker, self.beat) if process is not None]


@contextmanager
def celery(target: Served, log_dir: Path, *, beat: bool, purpose: str) -> Iterator[Celery]:
    """Start a worker (and beat) on the checkout's broker, wait for the worker to say it is ready, stop both after.
    Each is started in a process group of its own, so stopping it stops its pool too. Logs are named by `purpose`."""
    env = target.env() | {"EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    log = log_dir / f"celery-worker-{purpose}-{target.port}.log"

    def start(*arguments: str, to: Path) -> subprocess.Popen:
        with to.open("w") as out:
            return subprocess.Popen(  # noqa: S603 - our own command line
                [target.python, "-m", "celery", "-A", "config", *arguments],
                cwd=target.root,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    running = Celery(
        worker=start(
            "worker", "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat", to=log
        ),
        beat=start(
            "beat",
            "--loglevel=INFO",
            f"--schedule={log_dir / f'beat-schedule-{target.port}'}",
            to=log_dir / f"celery-beat-{purpose}-{target.port}.log",
        )
        if beat
        else None,
    )
    try:
        deadline = time.monotonic() + 90
        while " ready." not in log.read_text():
            if running.worker.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The Celery worker did not start: see {log}")
            time.sleep(0.5)
        yield running
    finally:
        for process in running.processes():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)


def process_tree(root: int) -> list[int]:
    """A process and its descendants, from Linux's /proc."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(text[text.rindex(")") + 2 :].split()[1])
    members, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in members} - members
        members |= more
        grew = bool(more)
    return sorted(members)


def memory_mb(pid: int, field_name: str) -> float:
    """VmRSS (resident now) or VmHWM (its peak so far) of a process, in MB; 0 once it has gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class PeakMemory:
    """The largest resident memory of any process of a tree, sampled in a thread while a block runs, and the
    processes' own peaks (VmHWM) at its end, so a short spike between samples is not missed."""

    def __init__(self, root: int):
        self.root = root
        self.before = max(memory_mb(pid, "VmRSS") for pid in process_tree(root))
        self.peak = self.before
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max([self.peak, *(memory_mb(pid, "VmRSS") for pid in process_tree(self.root))])

    def __enter__(self) -> "PeakMemory":
        self._sampler.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._sampler.join()
        self.peak = max([self.peak, *(memory_mb(pid, "VmHWM") for pid in process_tree(self.root))])


# --- first views ------------------------------------------------------------------------------------------------


def first_views(target: Served, *, samples: int, seed: int = 22) -> FirstViews:
    """Single user, no load: each page asked `samples` times, each time with filters not asked before in this run
    (so no rendered figures, remembered total or page is cached for that question; the cache is not cleared, which
    would also drop the sessions), with `/healthz` asked between them over HTTP as the yardstick."""
    reference = reference_of(target)
    regions = reference["regions"]
    hee = session_cookie(reference, reference["hee_national"][0])
    bodies = reference["training_bodies"]
    admin = session_cookie(reference, f"admin-{bodies[0]}@bodies.synthetic.demo.test") if bodies else ""
    dashboard = {"profession": PROFESSIONS, "career_stage": CAREER_STAGES, "early_career": ["on"]}
    questions = {
        "HEE dashboard, new filters": (hee, "/pipeline/", {"region": regions, **dashboard}),
        "body admin dashboard, new filters": (admin, "/pipeline/", dashboard),
        "drill-down, new filters": (hee, "/pipeline/clinicians/", {"region": regions, **dashboard, "stage": STAGES}),
        "clinicians API, new filters": (
            hee,
            "/api/v1/clinicians/",
            {
                "region": regions,
                "profession": PROFESSIONS,
                "career_stage": CAREER_STAGES,
                "min_interest_level": [1, 2, 3, 4],
                "early_career": ["true", "false"],
            },
        ),
        # Judged against the HEE dashboard's first view of the same run (bench/figures.py). The national table has no
        # filters and no cache, so every view counts it afresh; the ignored parameters only vary the address.
        "national succession table": (hee, "/succession/", {"region": regions, "profession": PROFESSIONS}),
    }
    views = FirstViews(pages_ms={page: [] for page in questions})
    if not admin:
        views.errors.append("no training body to be the admin of (there are synthetic bodies from 10,000 clinicians)")
    for page, (cookie, path, _choices) in list(questions.items()):
        if cookie and get(target, path, cookie)[0] == 404:  # a page this checkout does not have yet
            views.errors.append(f"{page}: {path} answered 404, so it was not measured")
            del questions[page]
    for _ in range(WARM_UP_ROUNDS):  # repeated, unfiltered views: not counted
        get(target, "/healthz")
        for cookie, path, _choices in questions.values():
            if cookie:
                get(target, path, cookie)
    asked = {
        page: distinct_filters(choices, samples, seed + number)
        for number, (page, (_cookie, _path, choices)) in enumerate(questions.items())
    }
    for round_number in range(samples):
        views.healthz_ms += [get(target, "/healthz")[2] for _ in range(HEALTHZ_PER_ROUND)]
        for page, (cookie, path, _choices) in questions.items():
            if not cookie or round_number >= len(asked[page]):
                continue
            address = f"{path}?{urlencode(asked[page][round_number])}"
            status, _body, ms = get(target, address, cookie)
            if status == 200:
                views.pages_ms[page].append(ms)
            else:
                views.errors.append(f"{page}: {address} answered {status}")
    return views


# --- roll-up refreshes --------------------------------------------------------------------------------------------

# Refreshes the roll-ups (BENCH_REFRESH: "full", "incremental", or "" to let the service choose) and reports the run
# it recorded. A service without `full` (every refresh a full rebuild) can only be asked for a full one.
REFRESH_SCRIPT = """
import inspect, json, os
from pipeline.models import PipelineRollupRun
from pipeline.services import pipeline_rollups_refresh
asked = os.environ["BENCH_REFRESH"]
takes_full = "full" in inspect.signature(pipeline_rollups_refresh).parameters
if asked == "incremental" and not takes_full:
    print("BENCH_RESULT " + json.dumps({"available": False}))
else:
    last = PipelineRollupRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    if asked and takes_full:
        pipeline_rollups_refresh(full=asked == "full")
    else:
        pipeline_rollups_refresh()
    run = PipelineRollupRun.objects.order_by("-pk").first()
    made = run is not None and run.pk != last
    print("BENCH_RESULT " + json.dumps({
        "available": True,
        "made": made,
        "duration_ms": run.duration_ms if made else None,
        "kind": getattr(run, "kind", "full") if made else None,
        "changed": getattr(run, "changed", None) if made else None,
    }))
"""

# Writes BENCH_CHANGES interest records through the talent service, one transaction each as a clinician's own would
# be. It picks clinicians the last refresh placed at Registered with no interest yet, from a random point of the
# table: raising each to Curious moves them to Interested, so that count on the dashboard rises by exactly as many.
CHANGES_SCRIPT = """
import json, os, time, uuid
from talent.models import ClinicianProfile, InterestLevel, PipelineStage, ReadinessHorizon
from talent.services import interest_record
wanted = int(os.environ["BENCH_CHANGES"])
waiting = ClinicianProfile.objects.filter(
    pipeline_stage=PipelineStage.REGISTERED, current_interest_level=InterestLevel.NOT_NOW, account_active=True
).order_by("pk")
start = uuid.uuid4()
profiles = list(waiting.filter(pk__gte=start)[:wanted])
profiles += list(waiting.filter(pk__lt=start)[: wanted - len(profiles)])
started = time.monotonic()
for profile in profiles:
    interest_record(
        profile=profile, level=InterestLevel.CURIOUS, readiness_horizon=ReadinessHorizon.FOUR_PLUS_YEARS, note="bench"
    )
print("BENCH_RESULT " + json.dumps({"changes": len(profiles), "seconds": time.monotonic() - started}))
"""


def refresh_run(target: Served, kind: str) -> dict:
    return django_script(target, REFRESH_SCRIPT, BENCH_REFRESH=kind)


def changes_write(target: Served, changes: int) -> dict:
    return django_script(target, CHANGES_SCRIPT, BENCH_CHANGES=str(changes))


def rollup_refreshes(target: Served, *, changes: int) -> Refresh:
    """A full rebuild, then `changes` interest changes, then an incremental refresh folding them in. Nothing else
    writes meanwhile (no worker runs): the times are the refreshes' own."""
    refresh = Refresh()
    full = refresh_run(target, "full")
    if not full["made"]:
        refresh.note = "the full rebuild was skipped: another refresh held the lock"
        return refresh
    refresh.full_ms = full["duration_ms"]
    written = changes_write(target, changes)
    refresh.changes, refresh.changes_seconds = written["changes"], written["seconds"]
    incremental = refresh_run(target, "incremental")
    if not incremental["available"]:
        refresh.note = "incremental refresh not available: pipeline_rollups_refresh takes no `full` yet"
    elif not incremental["made"]:
        refresh.note = "the incremental refresh was skipped: another refresh held the lock"
    elif incremental["kind"] != "incremental":
        refresh.note = f"asked for an incremental refresh, the service made a {incremental['kind']} one"
    else:
        refresh.incremental_ms, refresh.incremental_changed = incremental["duration_ms"], incremental["changed"]
    return refresh


# --- freshness under load -----------------------------------------------------------------------------------------


def interested_shown(target: Served, cookie: str) -> int | None:
    status, body, _ms = get(target, "/pipeline/", cookie)
    return stage_counts(body).get("interested") if status == 200 else None


def freshness(
    target: Served, *, changes: int, limit: float, log_dir: Path, load: Callable[[], subprocess.Popen]
) -> Freshness:
    """With a worker and beat running as deployed and `load` (the 10-user load) going: write `changes` interest
    changes, then ask the national dashboard every few seconds until its count of interested clinicians has risen
    by as many. The figures are brought up to date first, so nothing older is what shows."""
    fresh = Freshness(changes=changes, limit=limit)
    reference = reference_of(target)
    cookie = session_cookie(reference, reference["hee_national"][0])
    if not refresh_run(target, "")["made"]:
        fresh.note = "could not bring the figures up to date first: another refresh held the lock"
        return fresh
    before = interested_shown(target, cookie)
    if before is None:
        fresh.note = "the national dashboard shows no count of interested clinicians"
        return fresh
    with celery(target, log_dir, beat=True, purpose="freshness"):
        loading = load()
        try:
            time.sleep(10)  # the load under way before anything changes
            written = changes_write(target, changes)
            fresh.changes, fresh.writing_seconds = written["changes"], written["seconds"]
            written_at = time.monotonic()
            while time.monotonic() - written_at < limit:
                shown = interested_shown(target, cookie)
                if shown is not None and shown >= before + fresh.changes - SHOWN_WITHIN:
                    fresh.seconds = time.monotonic() - written_at
                    break
                time.sleep(POLL_SECONDS)
        finally:
            loading.terminate()
            loading.wait(timeout=60)
    return fresh


# --- the national export ----------------------------------------------------------------------------------------

# Waits for the export BENCH_EXPORT_ID (the one the page's request made) or, without one, asks for the national
# export through the exports service (`export_request(*, user, kind, filters)`, found in whichever app's services
# offer it); then waits until a worker has built the file and reads it back: its rows and the count its last line
# states. BENCH_EXPORT_SECONDS bounds the wait.
EXPORT_SCRIPT = """
import gzip, importlib, io, json, os, time
from django.apps import apps
from django.db import models
from accounts.models import User
from bench.figures import export_file_summary

def result(**values):
    print("BENCH_RESULT " + json.dumps(values))

def service():
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ImportError:
            continue
        if hasattr(module, "export_request"):
            return module.export_request
    return None

export_request = service()
model = next((m for m in apps.get_models() if m.__name__ == "Export"), None)
if export_request is None or model is None:
    result(available=False)
else:
    fields = {field.name: field for field in model._meta.fields}
    kinds = [value for value, _ in (fields["kind"].choices if "kind" in fields else None) or []]
    kind = next((k for k in kinds if "drill" in k or "clinician" in k), kinds[0] if kinds else "drilldown")
    user = User.objects.get(email=os.environ["BENCH_EXPORT_USER"])
    started = time.monotonic()
    if os.environ.get("BENCH_EXPORT_ID"):  # the one the page's request made
        export = model.objects.get(pk=os.environ["BENCH_EXPORT_ID"])
    else:
        export = export_request(user=user, kind=kind, filters={})
    file_field = next(f for f in fields.values() if isinstance(f, models.FileField))
    status = next((name for name in ("status", "state") if name in fields), None)
    state = ""
    failed = {"failed", "error", "errored"}
    built = {"ready", "done", "complete", "completed", "finished", "built", "succeeded", "available"}
    while time.monotonic() - started < float(os.environ["BENCH_EXPORT_SECONDS"]):
        export.refresh_from_db()
        state = str(getattr(export, status)).lower() if status else ""
        if state in failed or (getattr(export, file_field.name) and (not status or state in built)):
            break
        time.sleep(0.5)
    seconds = time.monotonic() - started
    if getattr(export, "created_at", None) and getattr(export, "finished_at", None):  # its own times, when it has them
        seconds = (export.finished_at - export.created_at).total_seconds()
    stored = getattr(export, file_field.name)
    if not stored:
        result(available=True, built=False, seconds=seconds, state=state)
    else:
        with stored.open("rb") as raw:
            data = gzip.GzipFile(fileobj=raw) if stored.name.endswith(".gz") else raw
            summary = export_file_summary(io.TextIOWrapper(data, encoding="utf-8-sig", newline=""))
        result(available=True, built=True, seconds=seconds, state=state, kind=kind, rows=summary.data_rows,
               stated=summary.stated_rows, last_line=summary.last_line[:200])
"""


@dataclass
class Asked:
    """What asking for the export over HTTP gave: how long the request held its web worker, the export it made
    (when the page asks a worker for the file), or the file as it arrived (when the web worker streamed it itself,
    cut off or not)."""

    status: int | None
    seconds: float
    answered: str
    export_id: str | None = None
    streamed: ExportFile | None = None


def request(target: Served, method: str, path: str, headers: dict, body: str = ""):
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=300)
    connection.request(method, path, body=body or None, headers=headers)
    return connection, connection.getresponse()


def export_asked(target: Served, path: str, cookie: str) -> Asked:
    """Ask for the national export as national HEE staff would: open its address and, when that is a page with a
    form (the file made by a worker), send the form. Timed to the last byte of the request that does the asking: a
    file streamed by the web worker holds it throughout, and gunicorn may kill it part way, which only a count can
    reveal."""
    cut: list[str] = []

    def lines(response) -> Iterator[str]:
        try:
            yield from io.TextIOWrapper(response, encoding="utf-8-sig", newline="")
        except (OSError, http.client.HTTPException) as error:
            cut.append(f", cut off ({error!r})")

    started = time.perf_counter()
    connection, response = request(target, "GET", path, {"Cookie": cookie})
    try:
        if "csv" in response.getheader("Content-Type", ""):
            streamed = export_file_summary(lines(response))
            answered = f"a CSV streamed by the web worker, {streamed.data_rows:,} rows{''.join(cut)}"
            return Asked(response.status, time.perf_counter() - started, answered, streamed=streamed)
        page = response.read().decode(errors="replace")
        csrf_cookie = cookie_set(response.headers.get_all("Set-Cookie") or [], "csrf")
    finally:
        connection.close()
    token = form_token(page)
    if response.status != 200 or token is None:
        return Asked(response.status, time.perf_counter() - started, f"{response.status}, no form to send")
    origin = f"http://127.0.0.1:{target.port}"
    headers = {
        "Cookie": "; ".join(filter(None, [cookie, csrf_cookie])),
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": f"{origin}{path}",
    }
    started = time.perf_counter()
    connection, response = request(target, "POST", path, headers, urlencode({"csrfmiddlewaretoken": token}))
    try:
        response.read()
    finally:
        connection.close()
    location = response.getheader("Location", "")
    return Asked(
        response.status,
        time.perf_counter() - started,
        f"the form sent: {response.status} to {location or 'nowhere'}",
        export_id=export_requested(location),
    )


def national_export(target: Served, *, path: str, limit: float, log_dir: Path) -> NationalExport:
    """Ask for the national export over HTTP (timing the request), then have it built by a worker through the
    exports service, sampling the worker's memory, and check the file's rows against its last line and against the
    total the drill-down shows for the same list. Without the exports service, the file checked is the one the web
    worker streamed."""
    export = NationalExport()
    reference = reference_of(target)
    email = reference["hee_national"][0]
    cookie = session_cookie(reference, email)
    status, body, _ms = get(target, "/pipeline/clinicians/", cookie)
    export.listed_total = listed_total(body) if status == 200 else None
    with celery(target, log_dir, beat=False, purpose="export") as running, PeakMemory(running.worker.pid) as memory:
        asked = export_asked(target, path, cookie)
        built = django_script(
            target,
            EXPORT_SCRIPT,
            BENCH_EXPORT_USER=email,
            BENCH_EXPORT_ID=asked.export_id or "",
            BENCH_EXPORT_SECONDS=str(limit),
        )
    export.request_status, export.request_seconds = asked.status, asked.seconds
    if not built["available"]:
        export.note = f"exports built by a task not available (no export_request service); asking gave {asked.answered}"
        if asked.streamed:
            export.file_rows, export.stated_rows = asked.streamed.data_rows, asked.streamed.stated_rows
    elif not built["built"]:
        export.note = f"the export was not built within {limit:.0f} s (state {built['state']!r})"
    else:
        export.worker_before_mb, export.worker_peak_mb = memory.before, memory.peak
        export.built_seconds, export.file_rows, export.stated_rows = built["seconds"], built["rows"], built["stated"]
        export.note = f"asking gave {asked.answered}; the file's last line: {built['last_line']!r}"
    return export
