"""`make bench`: the service's speed as people feel it, over HTTP, with the production server, at 100,000 and
1,000,000 clinicians side by side.

    .venv/bin/python bench/run.py [--populations 100000,1000000] [--only first-views,throughput,pages,...]
                                  [--base COMMIT] [--users 10,50] [--seconds 60]

For each population, smallest first:

1. Makes sure a PostgreSQL database holds the population (bench/population.py: seeded once, then reused), and gives
   it a few accounts people sign in with: the synthetic training bodies' admins and one HEE staff member per region;
   then makes sessions for some of everyone, as if they had signed in earlier in the day.
2. Serves the app with gunicorn as in production (2 x cores sync workers, DEBUG off, static files collected and
   served by WhiteNoise), with a Redis server of the bench's own for the cache, the sessions and the task queue
   (no worker unless a part starts one: queued tasks wait, as they would for a worker elsewhere).
3. Measures the parts asked for (`--only`; all by default), in this order:
   - first-views: single user, each staff page asked with filters no cache has seen, `/healthz` between them;
   - throughput: the HEE and training-body staff mix asking without pauses, at 1 and at 10 users;
   - pages: for each number of users (`--users`), `/healthz` asked as fast as it answers (the yardstick, measured
     in the same minute), then locust (bench/locustfile.py) replaying the mix of clinicians, visitors,
     training-body admins and HEE staff: per page, requests a second, p50, p95 and p99 in ms, and errors;
   - refresh: a full rebuild of the roll-ups, 1,000 interest changes through the services, an incremental refresh;
   - support: query counts of the follow-up rates, both to-do homes and a pool's member list at about 10 and
     about 1,000 items (each case set up in a transaction rolled back after it), and the weekly nudge dispatch over
     the synthetic bodies with and without opening follow-ups, alternating runs (bench/support.py);
   - freshness: with a Celery worker and beat, under the 10-user staff load, how long until the changes show;
   - export: the national export asked over HTTP and built by a worker, its rows checked, the worker's memory.
4. Prints the pages' tables, then every figure of national scale with a column per population (bench/figures.py),
   against the targets of DESIGN.md section 8.

With `--base COMMIT` (`make bench BASE=...`) the commit is checked out under var/bench/, with a bench database of
its own seeded by its own code, and served beside this one on another port. The pages' loads run against the base,
then against this checkout, one after the other at every level, and the figures are printed side by side with the
ratio of the p95s (this / base): below 1 is faster. The figures of national scale are this checkout's.

`--prepare-only` seeds and sets up without measuring (the first seeding of a million clinicians takes a while).
How to read the figures: docs/performance.md.
"""

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.figures import PopulationFigures, Stats, scale_report, table  # noqa: E402
from bench.population import (  # noqa: E402
    BENCH_DATABASE_URL,
    CLINICIANS,
    PYTHON,
    bench_environment,
    ensure_population,
    population_counts,
)
from bench.scale import first_views, freshness, national_export, rollup_refreshes  # noqa: E402
from bench.support import support_figures  # noqa: E402

VENV_BIN = Path(PYTHON).parent
WORK = ROOT / "var" / "bench"
DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo-Password-1")
PEOPLE = ["Clinician", "Visitor", "TrainingBodyAdmin", "HeeStaff"]
STAFF = ["TrainingBodyAdmin", "HeeStaff"]  # the mixed HEE and training-body load of the throughput figures
PARTS = ["first-views", "throughput", "pages", "support", "refresh", "freshness", "export"]
POPULATIONS = "100000,1000000"
SIGNING_IN = {"sign in", "sign in: form"}  # the locustfile's names for the sign-in page and form
BROWSING = "all pages but signing in"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# Run in each checkout with `manage.py shell` (its own code and settings): the synthetic bodies' admins get the demo
# password (the seeder leaves them unable to sign in), each region gets an HEE staff member, and some of everyone get a
# session as if they had signed in earlier in the day (people coming back; staff's verified with a second factor from a
# bench authenticator), written to BENCH_SESSIONS as JSON.
BENCH_ACCOUNTS = """
import json, os, random
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.test import Client
from django.utils import timezone
from accounts.models import Region, Role, User
password = make_password(settings.DEMO_PASSWORD)
User.objects.filter(email__endswith="@bodies.synthetic.demo.test").update(password=password)
for region in Region.objects.all():
    User.objects.update_or_create(
        email=f"hee-{region.slug}@bench.demo.test",
        defaults={"full_name": f"HEE staff, {region.name}", "role": Role.HEE_STAFF, "hee_region": region,
                  "password": password, "email_confirmed_at": timezone.now(), "is_active": True},
    )
clinicians = int(os.environ["BENCH_CLINICIANS"])
emails = [f"clinician{n:07d}@synthetic.demo.test" for n in random.Random(19).sample(range(clinicians), 300)]
emails += ["hee@demo.test", *User.objects.filter(email__endswith="@bench.demo.test").values_list("email", flat=True)]
emails += User.objects.filter(email__endswith="@bodies.synthetic.demo.test").values_list("email", flat=True)
try:  # staff sign in with a second factor: their sessions are verified with a bench authenticator
    from django_otp import DEVICE_ID_SESSION_KEY
    from accounts.mfa import SESSION_REQUIRED_KEY, authenticator_install, second_factor_required_by_role
except ImportError:  # a checkout from before the second factor
    second_factor_required_by_role = None
sessions = {}
for user in User.objects.filter(email__in=emails):
    client = Client()
    client.force_login(user)
    if second_factor_required_by_role and second_factor_required_by_role(user):
        device = authenticator_install(user=user, secret_base32="BENCHBENCHBENCHBENCHBENCHBENCHBE")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SESSION_REQUIRED_KEY] = True
        session.save()
    sessions[user.email] = [settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value]
with open(os.environ["BENCH_SESSIONS"], "w") as out:
    json.dump(sessions, out)
"""


@dataclass
class Target:
    """One checkout of the app with its database, cache and server."""

    label: str
    root: Path
    database_url: str
    python: str = PYTHON
    port: int = 0
    cache_url: str = ""
    broker_url: str = ""
    reference: Path | None = None
    server: subprocess.Popen | None = None
    clinicians: int = 0
    results: dict = field(default_factory=dict)  # users -> {"healthz": Stats, "pages": {name: Stats}, "errors": [..]}

    def env(self) -> dict[str, str]:
        env = bench_environment(self.database_url)
        env.update(
            CACHE_URL=self.cache_url,
            CELERY_BROKER_URL=self.broker_url,
            CELERY_TASK_ALWAYS_EAGER="false",
            DEMO_PASSWORD=DEMO_PASSWORD,
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        return env


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()  # noqa: S603, S607


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_named(name: str) -> str:
    parts = urlsplit(BENCH_DATABASE_URL)
    return urlunsplit(parts._replace(path=f"/{name}"))


def population_suffix(clinicians: int) -> str:
    """Each population size has its own database, so a quick small run never shrinks or mixes with the big one."""
    return "" if clinicians == CLINICIANS else f"_{clinicians}"


def this_target(clinicians: int, prefix: str, *, only_population: bool) -> Target:
    """`BENCH_DATABASE_URL` names this checkout's database when one population is measured; otherwise (and by
    default) each population's is named from `prefix`."""
    named = os.environ.get("BENCH_DATABASE_URL") if only_population else None
    url = named or database_url_named(f"{prefix}{population_suffix(clinicians)}")
    dirty = " + changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    return Target(label=f"this ({git('rev-parse', '--short=7', 'HEAD')}{dirty})", root=ROOT, database_url=url)


def base_target(commit: str, clinicians: int, prefix: str) -> Target:
    """The base commit checked out under var/bench/ (once), with its own database and, if its requirements differ,
    its own virtualenv."""
    sha = git("rev-parse", "--short=7", f"{commit}^{{commit}}")
    root = WORK / sha
    if not root.exists():
        print(f"Checking out {sha} under {root.relative_to(ROOT)}...", flush=True)
        WORK.mkdir(parents=True, exist_ok=True)
        git("worktree", "add", "--detach", str(root), sha)
    python = PYTHON
    if (root / "requirements.txt").read_text() != (ROOT / "requirements.txt").read_text():
        venv = WORK / f"venv-{sha}"
        if not (venv / "bin" / "python").exists():
            print(f"{sha} needs other packages: making {venv.relative_to(ROOT)}...", flush=True)
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)  # noqa: S603
            pip = [str(venv / "bin" / "pip"), "install", "--quiet"]
            subprocess.run([*pip, "-r", str(root / "requirements.txt"), "gunicorn"], check=True)  # noqa: S603
        python = str(venv / "bin" / "python")
    url = database_url_named(f"{prefix}_{sha}{population_suffix(clinicians)}")
    return Target(label=f"base ({sha})", root=root, database_url=url, python=python)


def static_files_ready(target: Target) -> None:
    """The compiled NHS.UK assets and the collected static files (the manifest the templates' links come from), made
    once for a base checkout; this checkout's are brought up to date by `make bench` (make assets)."""
    if (target.root / "var" / "staticfiles" / "staticfiles.json").exists():
        return
    if not (target.root / "static" / "build").exists():
        if not (target.root / "node_modules").exists():
            (target.root / "node_modules").symlink_to((ROOT / "node_modules").resolve())
        subprocess.run(["npm", "run", "--silent", "build"], cwd=target.root, check=True)  # noqa: S607
    subprocess.run(  # noqa: S603
        [target.python, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=target.root,
        env=target.env(),
        check=True,
    )


def prepare(target: Target, clinicians: int) -> None:
    print(f"\n== {target.label}: {urlsplit(target.database_url).path.lstrip('/')}", flush=True)
    static_files_ready(target)
    started = time.monotonic()
    info = ensure_population(
        clinicians=clinicians,
        database_url=target.database_url,
        root=target.root,
        python=target.python,
        env=target.env(),
    )
    if info.seeded:
        print(f"Seeding took {time.monotonic() - started:.0f} s (vacuum included).", flush=True)
    target.clinicians = population_counts(target.database_url)[0]
    sessions = WORK / f"sessions-{target.port}.json"
    accounts = subprocess.run(  # noqa: S603
        [target.python, "manage.py", "shell", "--verbosity=0", "-c", BENCH_ACCOUNTS],
        cwd=target.root,
        env=target.env() | {"BENCH_CLINICIANS": str(target.clinicians), "BENCH_SESSIONS": str(sessions)},
        capture_output=True,  # a log line for each session made
        text=True,
    )
    if accounts.returncode:
        raise RuntimeError(f"Making the bench accounts failed:\n{accounts.stderr[-3000:]}")
    target.reference = WORK / f"reference-{target.port}.json"
    target.reference.write_text(json.dumps(reference(target) | {"sessions": json.loads(sessions.read_text())}))
    sessions.unlink()


def reference(target: Target) -> dict:
    """What the people of the locustfile choose from: the accounts they sign in with, regions, training bodies."""
    import psycopg

    with psycopg.connect(target.database_url) as connection:
        regions = [row[0] for row in connection.execute("SELECT slug FROM accounts_region ORDER BY slug")]
        bodies = [
            row[0]
            for row in connection.execute(
                "SELECT slug FROM accounts_trainingbody WHERE slug LIKE 'synthetic-body-%%' ORDER BY slug"
            )
        ]
    return {
        "clinicians": target.clinicians,
        "regions": regions,
        "training_bodies": bodies,
        "hee_national": ["hee@demo.test"],
        "hee_regional": [[f"hee-{slug}@bench.demo.test", slug] for slug in regions],
        "password": DEMO_PASSWORD,
    }


def serve(target: Target, log: Path) -> None:
    workers = 2 * (os.cpu_count() or 1)
    target.server = subprocess.Popen(  # noqa: S603
        [
            str(Path(target.python).parent / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{target.port}",
            f"--workers={workers}",
            f"--error-logfile={log}",
        ],
        cwd=target.root,
        env=target.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{target.port}/healthz", timeout=2) as response:
                if response.status == 200:
                    print(f"{target.label} served by gunicorn ({workers} workers) on port {target.port}.", flush=True)
                    return
        except OSError:
            time.sleep(0.5)
        if target.server.poll() is not None:
            break
    raise RuntimeError(f"gunicorn for {target.label} did not answer /healthz: see {log}")


def read_stats(prefix: Path) -> tuple[dict[str, Stats], list[str]]:
    """Locust's CSV (`--csv PREFIX`): figures per request name ("Aggregated" for all), and the errors."""
    pages = {}
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            pages[row["Name"]] = Stats(
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                per_second=float(row["Requests/s"]),
                p50=float(row["50%"] or 0),
                p95=float(row["95%"] or 0),
                p99=float(row["99%"] or 0),
            )
    errors = []
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists():
        with failures.open(newline="") as rows:
            errors = [f"{row['Occurrences']} x {row['Name']}: {row['Error']}" for row in csv.DictReader(rows)]
    exceptions = Path(f"{prefix}_exceptions.csv")  # raised in the locustfile itself: the load was not the one meant
    if exceptions.exists():
        with exceptions.open(newline="") as rows:
            errors += [f"{row['Count']} x in the locustfile: {row['Message']}" for row in csv.DictReader(rows)]
    return pages, errors


def locust_start(
    target: Target, users: int, seconds: int, people: list[str], prefix: Path, *, pause: bool = True
) -> subprocess.Popen:
    """Start a headless locust load of `people` (bench/locustfile.py); its CSV files are written under `prefix`."""
    env = dict(
        os.environ,
        BENCH_REFERENCE=str(target.reference),
        BENCH_TIMES=f"{prefix}_times.tsv",
        BENCH_PAUSE="" if pause else "off",
    )
    with open(f"{prefix}.log", "w") as log:  # the child keeps its own copy open
        return subprocess.Popen(  # noqa: S603
            [
                str(VENV_BIN / "locust"),
                f"--locustfile={ROOT / 'bench' / 'locustfile.py'}",
                "--headless",
                f"--users={users}",
                f"--spawn-rate={users}",
                f"--run-time={seconds}s",
                "--stop-timeout=10",
                f"--host=http://127.0.0.1:{target.port}",
                f"--csv={prefix}",
                "--only-summary",
                "--loglevel=ERROR",
                *people,
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def locust(
    target: Target, users: int, seconds: int, people: list[str], prefix: Path, *, pause: bool = True
) -> tuple[dict, list]:
    # locust exits 1 when a request failed: the failures are figures here
    locust_start(target, users, seconds, people, prefix, pause=pause).wait()
    pages, errors = read_stats(prefix)
    times = Path(f"{prefix}_times.tsv")
    if times.exists():
        pages[BROWSING] = browsing_stats(times, seconds)
    return pages, errors


def browsing_stats(times: Path, seconds: int) -> Stats:
    """`all pages` without signing in: a sign-in takes a password hash (most of a second), and at 10 users the
    sign-ins alone are about 5% of requests, so the p95 of all pages lands on them or just below them by chance."""
    rows = (line.split("\t") for line in times.read_text().splitlines())
    millis = sorted(float(ms) for name, ms in rows if name not in SIGNING_IN)

    def percentile(share: float) -> float:
        return millis[min(len(millis) - 1, int(share * len(millis)))] if millis else 0.0

    return Stats(len(millis), 0, len(millis) / seconds, percentile(0.50), percentile(0.95), percentile(0.99))


def processes() -> dict[int, tuple[int, str, float]]:
    """Every process's parent, name and CPU seconds (its own and its reaped children's), from Linux's /proc."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        ticks = sum(int(value) for value in fields[11:15])  # utime, stime, cutime, cstime
        found[int(stat.parent.name)] = (int(fields[1]), name, ticks / CLOCK_TICKS)
    return found


def tree_cpu_seconds(table: dict[int, tuple[int, str, float]], roots: set[int]) -> float:
    """The CPU seconds of these processes and all their descendants, alive or ended (an ended one is counted in its
    parent's reaped children's time)."""
    members, grew = set(roots), True
    while grew:
        more = {pid for pid, (parent, _, _) in table.items() if parent in members} - members
        members |= more
        grew = bool(more)
    return sum(table[pid][2] for pid in members if pid in table)


def cpu_seconds(target: Target) -> dict[str, float]:
    """CPU used so far by the target's web server and by PostgreSQL (all of it: one checkout is loaded at a time)."""
    table = processes()
    postmasters = {
        pid for pid, (parent, name, _) in table.items() if name == "postgres" and table.get(parent, (0, ""))[1] != name
    }
    return {"web": tree_cpu_seconds(table, {target.server.pid}), "database": tree_cpu_seconds(table, postmasters)}


def measure(targets: list[Target], users: int, seconds: int, healthz_seconds: int, out: Path) -> None:
    for target in targets:
        print(
            f"{users} users, {target.label}: /healthz for {healthz_seconds} s, then the mix for {seconds} s", flush=True
        )
        name = f"{target.port}-{users}"
        healthz, _ = locust(target, users, healthz_seconds, ["HealthzUser"], out / f"{name}-healthz")
        before = cpu_seconds(target)
        pages, errors = locust(target, users, seconds, PEOPLE, out / f"{name}-mix")
        after = cpu_seconds(target)
        requests = pages["Aggregated"].requests if "Aggregated" in pages else 0
        cpu = {part: 1000 * (after[part] - before[part]) / max(requests, 1) for part in after}
        target.results[users] = {"healthz": healthz.get("/healthz"), "pages": pages, "errors": errors, "cpu": cpu}


def peak_worker_memory_mb(target: Target) -> float:
    """The largest peak resident memory of any of the server's workers so far (Linux's VmHWM)."""
    peak = 0.0
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(target.server.pid) and "VmHWM" in fields:
            peak = max(peak, int(fields["VmHWM"].split()[0]) / 1024)
    return peak


def ms(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}"


def figures(stats: Stats | None) -> list[str]:
    if stats is None:
        return ["", "", "", "", ""]
    return [f"{stats.per_second:.1f}", ms(stats.p50), ms(stats.p95), ms(stats.p99), str(stats.failures)]


def ratio(after: Stats | None, before: Stats | None) -> str:
    if not after or not before or not before.p95:
        return ""
    return f"{after.p95 / before.p95:.2f}"


def report(targets: list[Target], users: int) -> str:
    """One level's table: a line per page, and for A/B the base's figures, this checkout's, and the p95 ratio."""
    names = sorted({name for target in targets for name in target.results[users]["pages"]} - {"Aggregated", BROWSING})
    headers = ["page"]
    for target in targets:
        prefix = f"{target.label.split()[0]} " if len(targets) > 1 else ""
        headers += [f"{prefix}req/s", f"{prefix}p50", f"{prefix}p95", f"{prefix}p99", f"{prefix}errors"]
    if len(targets) > 1:
        headers.append("p95 this/base")
    rows = []
    for name in [*names, "Aggregated", BROWSING, "/healthz"]:
        label = {"Aggregated": "all pages", "/healthz": "/healthz alone (yardstick)"}.get(name, name)
        row = [label]
        cells = []
        for target in targets:
            result = target.results[users]
            stats = result["healthz"] if name == "/healthz" else result["pages"].get(name)
            cells.append(stats)
            row += figures(stats)
        if len(targets) > 1:
            row.append(ratio(cells[-1], cells[0]))
        rows.append(row)
    return table(headers, rows)


def worse(targets: list[Target], users: int, margin: float = 1.10) -> list[str]:
    """The pages whose p95 is more than 10% above the base's, with how many requests each p95 is made of."""
    base, this = (target.results[users]["pages"] for target in (targets[0], targets[-1]))
    found = []
    for name, after in sorted(this.items()):
        before = base.get(name)
        if before and before.p95 and after.p95 > margin * before.p95:
            label = "all pages" if name == "Aggregated" else name
            found.append(f"{label}: {after.p95 / before.p95:.2f} ({before.requests} and {after.requests})")
    return found


def staff_figures(target: Target, users: int, seconds: int, out: Path) -> tuple[Stats, list[str]]:
    """The HEE and training-body staff mix asking without pauses (so the requests a second are what the server can
    do): all their pages but signing in, with the errors of the whole load."""
    pages, errors = locust(target, users, seconds, STAFF, out / f"{target.port}-staff-{users}", pause=False)
    browsing = pages.get(BROWSING, Stats(0, 0, 0.0, 0.0, 0.0, 0.0))
    failures = pages["Aggregated"].failures if "Aggregated" in pages else 0
    return replace(browsing, failures=failures), errors


def scale_measured(this: Target, parts: set[str], args: argparse.Namespace, out: Path) -> PopulationFigures:
    """The figures of national scale at this population (all but the pages' tables), in the order that keeps each
    honest: first views while the cache has seen nothing, loads before the data is changed, the export last."""
    result = PopulationFigures(clinicians=this.clinicians)
    if "first-views" in parts:
        print(f"{this.clinicians:,} clinicians: first views, single user", flush=True)
        result.first_views = first_views(this, samples=args.first_views)
    if "throughput" in parts:
        for users in (1, 10):
            people = "1 user" if users == 1 else f"{users} users"
            print(f"{this.clinicians:,} clinicians: the staff mix, {people}, for {args.seconds} s", flush=True)
            result.staff[users], result.staff_errors[users] = staff_figures(this, users, args.seconds, out)
    return result


def scale_measured_after_pages(
    this: Target, result: PopulationFigures, parts: set[str], args: argparse.Namespace, out: Path
) -> None:
    """The figures that change the data or start workers, after the loads."""
    if "support" in parts:
        print(
            f"{this.clinicians:,} clinicians: support pages' queries, the dispatch with and without follow-ups",
            flush=True,
        )
        result.support = support_figures(this, runs=args.dispatch_runs)
    if "refresh" in parts:
        print(
            f"{this.clinicians:,} clinicians: a full rebuild, {args.changes:,} changes, an incremental one", flush=True
        )
        result.refresh = rollup_refreshes(this, changes=args.changes)
    if "freshness" in parts:
        print(f"{this.clinicians:,} clinicians: {args.changes:,} changes under the 10-user load", flush=True)
        seconds = int(args.freshness_limit) + 60
        result.freshness = freshness(
            this,
            changes=args.changes,
            limit=args.freshness_limit,
            log_dir=out,
            load=lambda: locust_start(this, 10, seconds, STAFF, out / f"{this.port}-freshness", pause=False),
        )
    if "export" in parts:
        print(f"{this.clinicians:,} clinicians: the national export", flush=True)
        result.export = national_export(this, path=args.export_path, limit=args.export_limit, log_dir=out)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="HTTP bench: gunicorn, PostgreSQL, Redis, locust (make bench).")
    parser.add_argument("--base", default="", help="a commit to run the pages' loads against, side by side")
    parser.add_argument("--populations", default=POPULATIONS, help="clinicians of each population, comma-separated")
    parser.add_argument("--clinicians", type=int, help="one population only (the same as --populations N)")
    parser.add_argument("--only", default=",".join(PARTS), help=f"parts to measure, comma-separated: {PARTS}")
    parser.add_argument("--users", default="10,50", help="concurrent users of each pages' load, comma-separated")
    parser.add_argument("--seconds", type=int, default=60, help="length of each load")
    parser.add_argument("--healthz-seconds", type=int, default=10, help="length of each /healthz yardstick load")
    parser.add_argument("--first-views", type=int, default=9, help="first views of each page (the median is shown)")
    parser.add_argument("--changes", type=int, default=1000, help="interest changes before an incremental refresh")
    parser.add_argument("--freshness-limit", type=float, default=600, help="seconds to wait for changes to show")
    parser.add_argument("--export-limit", type=float, default=900, help="seconds to wait for the export's file")
    parser.add_argument("--dispatch-runs", type=int, default=5, help="dispatch runs with and without follow-ups")
    parser.add_argument("--export-path", default="/pipeline/clinicians/export/", help="the national export's address")
    parser.add_argument("--database-prefix", default="ltt_bench", help="names of the bench databases")
    parser.add_argument("--prepare-only", action="store_true", help="seed and set up, measure nothing")
    args = parser.parse_args()
    args.populations = sorted(int(n) for n in str(args.clinicians or args.populations).split(","))
    args.parts = set(args.only.split(","))
    if args.parts - set(PARTS):
        parser.error(f"unknown parts {sorted(args.parts - set(PARTS))}; the parts are {PARTS}")
    return args


def main() -> None:
    args = arguments()
    levels = [int(users) for users in args.users.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    out = Path(tempfile.mkdtemp(prefix="run-", dir=WORK))
    redis_port = free_port()
    redis = subprocess.Popen(  # noqa: S603
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    measured: list[tuple[list[Target], dict[str, float]]] = []  # per population: its targets and web memory
    scale: list[PopulationFigures] = []
    try:
        for index, clinicians in enumerate(args.populations):
            targets = [this_target(clinicians, args.database_prefix, only_population=len(args.populations) == 1)]
            if args.base:
                targets.insert(0, base_target(args.base, clinicians, args.database_prefix))
            for number, target in enumerate(targets):
                target.port = free_port()
                database = 2 * (index * len(targets) + number)  # each population its own: run ids repeat
                target.cache_url = f"redis://127.0.0.1:{redis_port}/{database}"
                target.broker_url = f"redis://127.0.0.1:{redis_port}/{database + 1}"
                prepare(target, clinicians)
            if args.prepare_only:
                continue
            try:
                for target in targets:
                    serve(target, out / f"gunicorn-{target.port}.log")
                print(flush=True)
                this = targets[-1]
                result = scale_measured(this, args.parts, args, out)
                if "pages" in args.parts:
                    for users in levels:
                        measure(targets, users, args.seconds, args.healthz_seconds, out)
                scale_measured_after_pages(this, result, args.parts, args, out)
                measured.append((targets, {target.label: peak_worker_memory_mb(target) for target in targets}))
                scale.append(result)
            finally:
                for target in targets:
                    if target.server is not None and target.server.poll() is None:
                        target.server.terminate()
                        target.server.wait(timeout=30)
    finally:
        if redis.poll() is None:
            redis.terminate()
            redis.wait(timeout=30)
    if args.prepare_only:
        return

    print()
    print(
        f"HTTP bench, {time.strftime('%Y-%m-%d %H:%M')}: {os.cpu_count()} cores, gunicorn with "
        f"{2 * (os.cpu_count() or 1)} workers per checkout, loads of {args.seconds} s "
        f"(/healthz alone {args.healthz_seconds} s before each), times in ms."
    )
    for targets, memory in measured:
        for target in targets:
            print(
                f"  {target.label}: {target.clinicians:,} clinicians; largest web worker {memory[target.label]:.0f} MB"
            )
    if "pages" in args.parts:
        for targets, _memory in measured:
            pages_printed(targets, levels)
    if args.parts - {"pages"}:
        measured_parts = ", ".join(part for part in PARTS if part in args.parts)
        print(f"\nNational scale, this checkout ({measured_parts}): a column per population (clinicians)")
        print(scale_report(scale, args.parts))
    print(f"\nLocust's own CSV files and logs, Celery's logs: {out.relative_to(ROOT)}")


def pages_printed(targets: list[Target], levels: list[int]) -> None:
    """The pages' tables of one population: a table per number of users, the pages worse than the base, the CPU per
    request and the errors."""
    for users in levels:
        print(f"\n{targets[-1].clinicians:,} clinicians, {users} concurrent users")
        print(report(targets, users))
        if len(targets) > 1:
            print("p95 more than 10% worse than the base (this/base; requests in base and this):")
            for page in worse(targets, users) or ["none"]:
                print(f"  {page}")
        for target in targets:
            cpu = target.results[users]["cpu"]
            print(
                f"  CPU per request over the mix, {target.label}: web {cpu['web']:.0f} ms, "
                f"PostgreSQL {cpu['database']:.0f} ms"
            )
        for target in targets:
            for error in target.results[users]["errors"]:
                print(f"  error, {target.label}: {error}")


if __name__ == "__main__":
    main()
