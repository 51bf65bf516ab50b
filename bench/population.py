"""The national bench population: a PostgreSQL database holding 1,000,000 synthetic clinicians and 200 training
bodies, seeded once and reused by every bench.

For other bench scripts, call before timing anything:

    from bench.population import ensure_population   # with the repository root on sys.path
    info = ensure_population()       # creates, migrates and seeds `ltt_bench` if needed; otherwise a few queries
    info.database_url                # the database it made sure of; point DATABASE_URL at it

`ensure_population(clinicians=1_000_000, database_url=BENCH_DATABASE_URL, report=print)` only ever adds: it creates
the database if missing, runs `migrate` (a no-op when up to date), and runs `seed_demo --clinicians N` (idempotent; it
adds the missing clinicians only) when fewer than N synthetic clinicians or fewer than 200 training bodies are there,
and `seed_bulk_support` (follow-ups, conversations, plans, mentoring, talent pools; once) when a population seeded
before those areas existed has none of them.
When it seeds, it reports the seeding time and the peak memory of the seeding process. It works without Django being
set up in the calling process (everything runs in subprocesses or through psycopg).

Run alone: `.venv/bin/python bench/population.py [--clinicians N]`.
"""

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
BENCH_DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://ltt:ltt@127.0.0.1:5432/ltt_bench")
CLINICIANS = 1_000_000
TRAINING_BODIES = 200
SYNTHETIC_EMAIL_DOMAIN = "synthetic.demo.test"  # accounts.demo.SYNTHETIC_EMAIL_DOMAIN, without importing Django


@dataclass
class PopulationInfo:
    database_url: str
    clinicians: int  # synthetic clinicians with a profile
    training_bodies: int
    seeded: bool = False  # True when this call ran the seeding
    seed_seconds: float | None = None  # wall time of `seed_demo`, roll-up refresh included
    population_seconds: float | None = None  # the synthetic population alone, as seed_demo reports it
    seed_peak_rss_mb: float | None = None


def bench_environment(database_url: str) -> dict[str, str]:
    """The environment for Django processes working on the bench database."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=env.get("SECRET_KEY", "bench-only-not-secret"),
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/6")
    # A shared Redis cache, as a deployment with more than one web process has (docker-compose.yml): cached pages,
    # remembered totals and sessions are read over the network, as there. bench/run.py passes its own instead.
    env["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/5")
    return env


def _database_create(database_url: str) -> None:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    connection = psycopg.connect(admin_url, autocommit=True)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        connection.close()


@contextmanager
def _held_alone(database_url: str) -> Iterator[None]:
    """One preparation of a database at a time (a PostgreSQL advisory lock, released when the connection closes):
    two benches started together would otherwise both seed it."""
    parts = urlsplit(database_url)
    connection = psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True)
    try:
        connection.execute("SELECT pg_advisory_lock(hashtext(%s))", [f"bench population {parts.path}"])
        yield
    finally:
        connection.close()


def population_counts(database_url: str) -> tuple[int, int]:
    """(synthetic clinicians with a profile, training bodies) in the database."""
    connection = psycopg.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM accounts_user u JOIN talent_clinicianprofile p ON p.user_id = u.id "
                "WHERE u.email >= %s AND u.email <= %s",
                [f"clinician0000000@{SYNTHETIC_EMAIL_DOMAIN}", f"clinician9999999@{SYNTHETIC_EMAIL_DOMAIN}"],
            )
            clinicians = cursor.fetchone()[0]
            cursor.execute("SELECT count(*) FROM accounts_trainingbody")
            bodies = cursor.fetchone()[0]
    finally:
        connection.close()
    return clinicians, bodies


def run_measured(
    command: list[str], *, env: dict[str, str], report: Callable[[str], None], root: Path = ROOT
) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak RSS in MB of the process, its output). Uses /usr/bin/time -v when
    there is one (the command's own peak), else the children's peak from getrusage."""
    full = ["/usr/bin/time", "-v", *command] if Path("/usr/bin/time").exists() else command
    started = time.monotonic()
    process = subprocess.Popen(  # noqa: S603 - our own command line
        full, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines = []
    for line in process.stdout:
        lines.append(line)
        if not line.startswith("\t"):  # /usr/bin/time's report is tab-indented; show the command's own lines
            report("    " + line.rstrip())
    process.wait()
    seconds = time.monotonic() - started
    output = "".join(lines)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed with exit code {process.returncode}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", output)
    # getrusage gives the largest child so far: the right one here, as seeding is the biggest child we run.
    peak_mb = int(match.group(1)) / 1024 if match else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_mb, output


def ensure_population(
    *,
    clinicians: int = CLINICIANS,
    database_url: str = BENCH_DATABASE_URL,
    report: Callable[[str], None] = print,
    root: Path = ROOT,
    python: str = PYTHON,
    env: dict[str, str] | None = None,
) -> PopulationInfo:
    """Make sure `database_url` exists, is migrated and holds at least `clinicians` synthetic clinicians and 200
    training bodies; seed (adding only what is missing) if not. See the module docstring. `root` is the checkout whose
    migrations and seeder are used (another commit's, for an A/B bench), with `python` and the environment `env`."""
    with _held_alone(database_url):
        return _population_ensured(clinicians, database_url, report, root, python, env)


def _population_ensured(clinicians, database_url, report, root, python, env) -> PopulationInfo:
    _database_create(database_url)
    env = env or bench_environment(database_url)
    subprocess.run(  # noqa: S603 - our own command line
        [python, "manage.py", "migrate", "--noinput", "--verbosity", "0"], cwd=root, env=env, check=True
    )
    have, bodies = population_counts(database_url)
    info = PopulationInfo(database_url=database_url, clinicians=have, training_bodies=bodies)
    if have >= clinicians and bodies >= TRAINING_BODIES:
        report(f"Bench population ready: {have:,} synthetic clinicians, {bodies} training bodies (reused).")
        support_ensured(database_url, report=report, root=root, python=python, env=env)
        return info
    report(f"Seeding the bench population: {have:,} synthetic clinicians there, {clinicians:,} wanted...")
    seconds, peak_mb, output = run_measured(
        [python, "manage.py", "seed_demo", "--clinicians", str(clinicians)], env=env, report=report, root=root
    )
    info.clinicians, info.training_bodies = population_counts(database_url)
    info.seeded, info.seed_seconds, info.seed_peak_rss_mb = True, seconds, peak_mb
    match = re.search(r"synthetic clinicians added with their profiles in ([\d.]+) s", output)
    info.population_seconds = float(match.group(1)) if match else None
    report(
        f"Seeded {info.clinicians:,} synthetic clinicians ({have:,} were there) and {info.training_bodies} training "
        f"bodies: seed_demo took {seconds:.0f} s in all (the population itself "
        f"{info.population_seconds or 0:.0f} s), peak memory {peak_mb:.0f} MB."
    )
    tables_vacuum(database_url)
    return info


SUPPORT_COMMAND = Path("demo/management/commands/seed_bulk_support.py")


def support_seeded(database_url: str) -> bool:
    """Whether the synthetic bodies have their follow-ups (the mark the support data was added)."""
    connection = psycopg.connect(database_url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('talent_followup') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return False
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM talent_followup f JOIN accounts_trainingbody b "
                "ON b.id = f.training_body_id WHERE b.slug LIKE 'synthetic-body-%%')"
            )
            return cursor.fetchone()[0]
    finally:
        connection.close()


def support_ensured(database_url, *, report, root, python, env) -> None:
    """Add the support and develop data to a population seeded before it existed (a checkout without the command,
    a base for an A/B bench, is left as it is)."""
    if not (root / SUPPORT_COMMAND).exists() or support_seeded(database_url):
        return
    report("Adding follow-ups, conversations, plans, mentoring and talent pools to the population...")
    seconds, peak_mb, _output = run_measured(
        [python, "manage.py", "seed_bulk_support"], env=env, report=report, root=root
    )
    report(f"Support data added: {seconds:.0f} s, peak memory {peak_mb:.0f} MB.")


def tables_vacuum(database_url: str) -> None:
    """Vacuum and analyse the profile table after seeding (not counted in the seeding time), so the bench measures a
    database in the state autovacuum keeps a live one in: seed_demo's first roll-up refresh has just rewritten every
    profile (placing them), and until a vacuum each page of a list steps over a million dead rows (a drill-down
    measured 13 ms rather than 8 ms right after seeding)."""
    connection = psycopg.connect(database_url, autocommit=True)
    try:
        connection.execute("VACUUM (ANALYZE) talent_clinicianprofile")
    finally:
        connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="Create or reuse the bench database with its population.")
    parser.add_argument("--clinicians", type=int, default=CLINICIANS)
    parser.add_argument("--database-url", default=BENCH_DATABASE_URL)
    args = parser.parse_args()
    ensure_population(clinicians=args.clinicians, database_url=args.database_url)


if __name__ == "__main__":
    main()
