"""Bench: the nudge dispatcher on a national population. Not a test: it prints a figure line.

    .venv/bin/python bench/nudges.py [--signals 20000] [--runs 3]      (or through `make bench`: bench/run.py)

Without DATABASE_URL it uses the shared national population of bench/population.py (1,000,000 clinician profiles,
200 training bodies; seeded once, then reused); with DATABASE_URL, any PostgreSQL database already seeded with
`seed_demo --clinicians N`.
The bench adds SIGNALS early-interest signals inside the last complete weekly period, on clinicians picked at random
among those affiliated to a body (consenting or not, as in life), then times `nudges_dispatch` building every nudge,
median of RUNS runs. Each run is rolled back, so runs start equal and no email is queued; the signals are removed at
the end. Target: at most 10 s, with a number of queries that grows with the bodies, not the clinicians.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
if "DATABASE_URL" not in os.environ:
    # Run alone: the shared national population (bench/population.py seeds it once, then reuses it).
    from bench.population import ensure_population

    os.environ["DATABASE_URL"] = ensure_population().database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "false")
os.environ.pop("CELERY_BROKER_URL", None)  # rolled back anyway: nothing is queued

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import NudgeFrequency, TrainingBody  # noqa: E402
from talent.models import ClinicianProfile, EarlyInterestSignal  # noqa: E402
from talent.services.nudges import nudge_period, nudges_dispatch  # noqa: E402

BENCH_MARK = {"bench": "nudges"}


class Rollback(Exception):
    pass


def add_signals(count: int, start, end) -> None:
    """COUNT signals spread over the period, on distinct random clinicians affiliated to a body."""
    EarlyInterestSignal.objects.filter(detail=BENCH_MARK).delete()
    seconds = (end - start).total_seconds()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO talent_earlyinterestsignal (profile_id, kind, created_at, detail)
            SELECT id, 'interest_raised', %s + random() * make_interval(secs => %s), %s::jsonb
            FROM talent_clinicianprofile WHERE training_body_id IS NOT NULL ORDER BY random() LIMIT %s
            """,
            [start, seconds, '{"bench": "nudges"}', count],
        )
        cursor.execute("ANALYZE talent_earlyinterestsignal")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("The bench needs PostgreSQL: set DATABASE_URL.")
    TrainingBody.objects.exclude(nudge_frequency=NudgeFrequency.WEEKLY).update(nudge_frequency=NudgeFrequency.WEEKLY)
    now = timezone.now()
    start, end = nudge_period(frequency=NudgeFrequency.WEEKLY, now=now)
    profiles, bodies = ClinicianProfile.objects.count(), TrainingBody.objects.count()
    add_signals(args.signals, start, end)
    in_period = EarlyInterestSignal.objects.filter(created_at__gte=start, created_at__lt=end).count()
    reverse("talent:show_nudge", kwargs={"nudge_id": "00000000-0000-0000-0000-000000000000"})  # load the URLs once
    timings, queries, built, entries = [], 0, 0, 0
    try:
        for _ in range(args.runs):
            try:
                with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                    began = time.perf_counter()
                    nudges = nudges_dispatch(now=now)
                    timings.append(time.perf_counter() - began)
                    queries, built = len(captured), len(nudges)
                    entries = sum(1 for q in captured if "talent_nudgeentry" in q["sql"])
                    raise Rollback
            except Rollback:
                pass
    finally:
        EarlyInterestSignal.objects.filter(detail=BENCH_MARK).delete()
    median = statistics.median(timings)
    runs = ", ".join(f"{t:.2f}" for t in timings)
    print(
        f"nudges: {built} nudges for {bodies} training bodies from {in_period:,} signals in the week "
        f"({args.signals:,} added) over {profiles:,} clinician profiles built in {median:.2f} s "
        f"(median of {args.runs}: {runs}), "
        f"{queries} queries ({entries} of them writing the entries); target <= 10 s: "
        f"{'met' if median <= 10 else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
