"""The support part of the bench: the follow-up, to-do and pool pages' query counts at about 10 and about 1,000
items, and the weekly nudge dispatch timed with and without opening its follow-ups.

Both run in the checkout with `manage.py shell` against the bench database, and change nothing in it: each case
is set up inside a transaction that is rolled back after it is measured, so every case and every run starts from
the same seeded data.

Query counts: Django's test client in the same process, signed in as the page's user (a staff session verified
with a bench authenticator, as bench/run.py makes them), each page asked once to warm the process and then again,
after clearing the process's cache, with every query on every database connection captured. The cache is the
process's own memory (not the bench's Redis), so a count never depends on what another part cached.

Dispatch: `talent.services.nudges.nudges_dispatch`, the body of the Celery task, over the synthetic bodies set to
weekly, for the week after the seeded nudges, with the early-interest signals of a seeded week replayed into it.
"Without follow-ups" is the same call with its one follow-up step (`follow_ups_open`) replaced by nothing, in this
process only: no setting of the app turns follow-ups off. The step is also timed alone inside the runs with it,
which a busy machine disturbs far less than the difference of two whole dispatches. Runs alternate (with, without,
with, ...) after a warm-up run of each that is not counted.
"""

from bench.figures import SupportFigures
from bench.scale import Served, django_script

SIZES = (10, 1000)

QUERIES_SCRIPT = r"""
import json, os
from datetime import timedelta
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from accounts.models import Role, TrainingBody, TrainingBodyMembership, User
from pathways.models import ContentStatus, Opportunity
from talent.models import (
    CareerConversation, ClinicianProfile, ConversationRequest, FollowUp, MembershipState, PoolMembership, Readiness,
    ReadinessChange, Signpost, TalentPool,
)

SIZES = [int(n) for n in os.environ["BENCH_SIZES"].split(",")]
SYNTHETIC = "synthetic-body-"
now = timezone.now()
today = timezone.localdate(now)


def client_for(user):
    client = Client()
    client.force_login(user)
    try:
        from django_otp import DEVICE_ID_SESSION_KEY
        from accounts.mfa import SESSION_REQUIRED_KEY, authenticator_install, second_factor_required_by_role
    except ImportError:
        return client
    if second_factor_required_by_role(user):
        device = authenticator_install(user=user, secret_base32="BENCHBENCHBENCHBENCHBENCHBENCHBE")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[SESSION_REQUIRED_KEY] = True
        session.save()
    return client


def counted(client, path):
    client.get(path)  # a warm process: templates loaded, content types known, as a running worker has them
    cache.clear()
    contexts = [CaptureQueriesContext(connections[alias]) for alias in settings.DATABASES]
    for context in contexts:
        context.__enter__()
    try:
        response = client.get(path)
    finally:
        for context in contexts:
            context.__exit__(None, None, None)
    return response.status_code, sum(len(context.captured_queries) for context in contexts)


def raw_delete(queryset):
    queryset._raw_delete(queryset.db)


def follow_up_rates(size):
    # Only `size` follow-ups left in the country (a random spread: ids are random), or all of them.
    if size:
        keep = list(FollowUp.objects.order_by("id").values_list("id", flat=True)[:size])
        raw_delete(Signpost.objects.exclude(follow_up__isnull=True).exclude(follow_up_id__in=keep))
        raw_delete(FollowUp.objects.exclude(id__in=keep))
    hee = User.objects.get(email="hee@demo.test")
    return FollowUp.objects.count(), hee, reverse("pipeline:show_follow_up_rates")


def sharing_clinicians(body):
    return ClinicianProfile.objects.filter(
        training_body=body, shares_with_training_body=True, training_body_confirmed_at__isnull=False,
        account_active=True,
    )


def synthetic_body():
    return TrainingBody.objects.filter(slug__startswith=SYNTHETIC).order_by("slug").first()


def admin_home(size):
    # The admin's open follow-ups (half overdue) and open conversation requests are `size` in all. A small
    # population has too few consenting clinicians per body for 1,000: the admin then also runs the next bodies.
    body = synthetic_body()
    admin = User.objects.filter(role=Role.TRAINING_BODY_ADMIN, training_body_memberships__training_body=body).first()
    people = []
    for other in TrainingBody.objects.filter(slug__startswith=SYNTHETIC).order_by("slug"):
        if len(people) >= size:
            break
        if other != body:
            TrainingBodyMembership.objects.create(user=admin, training_body=other)
        raw_delete(FollowUp.objects.filter(training_body=other, closed_at__isnull=True))
        raw_delete(ConversationRequest.objects.filter(training_body=other, answered_at__isnull=True))
        people += sharing_clinicians(other).order_by().values_list("pk", "training_body_id")[: size - len(people)]
    requests = len(people) // 4
    FollowUp.objects.bulk_create(
        FollowUp(training_body_id=body_id, profile_id=pk, opened_at=now - timedelta(days=20 + 20 * (n % 2)),
                 due_on=today + timedelta(days=10 - 20 * (n % 2)))
        for n, (pk, body_id) in enumerate(people[requests:])
    )
    ConversationRequest.objects.bulk_create(
        ConversationRequest(training_body_id=body_id, profile_id=pk, message="Could we talk?")
        for pk, body_id in people[:requests]
    )
    return len(people), admin, reverse("accounts:list_training_bodies")


def clinician_home(size):
    # A clinician of a synthetic body with `size` to-do items: signposts and conversations to confirm, half each.
    body = synthetic_body()
    profile = sharing_clinicians(body).order_by("pk").first()
    raw_delete(Signpost.objects.filter(profile=profile))
    raw_delete(CareerConversation.objects.filter(profile=profile, response=""))
    opportunities = list(Opportunity.objects.filter(status=ContentStatus.PUBLISHED).values_list("pk", flat=True))
    signposts = size // 2
    Signpost.objects.bulk_create(
        Signpost(profile=profile, training_body=body, opportunity_id=opportunities[n % len(opportunities)])
        for n in range(signposts)
    )
    CareerConversation.objects.bulk_create(
        CareerConversation(profile=profile, training_body=body, held_on=today - timedelta(days=n % 300 + 1),
                           participants="The clinician and the leadership lead", aspirations="To lead a service.")
        for n in range(size - signposts)
    )
    return size, profile.user, reverse("talent:show_clinician_home")


def pool_members(size):
    # A national pool made for the case, with `size` members (two in three assessed, with their history) and a few
    # invitations and requests waiting.
    hee = User.objects.get(email="hee@demo.test")
    pool = TalentPool.objects.create(name="Bench pool", purpose="Measuring the member list.", role_level="system")
    people = list(ClinicianProfile.objects.filter(shares_with_hee=True, account_active=True)
                  .order_by().values_list("pk", flat=True)[:size + 10])
    readiness = list(Readiness.values)
    members = PoolMembership.objects.bulk_create(
        PoolMembership(pool=pool, profile_id=pk, state=MembershipState.ACTIVE, responded_at=now,
                       readiness=readiness[n % 4] if n % 3 else "", readiness_at=now if n % 3 else None,
                       readiness_by=hee if n % 3 else None)
        for n, pk in enumerate(people[:size])
    )
    ReadinessChange.objects.bulk_create(
        ReadinessChange(membership=m, changed_by=hee, from_readiness="", to_readiness=m.readiness)
        for m in members if m.readiness
    )
    PoolMembership.objects.bulk_create(
        PoolMembership(pool=pool, profile_id=pk, state=MembershipState.INVITED if n % 2 else MembershipState.REQUESTED)
        for n, pk in enumerate(people[size:])
    )
    return len(members), hee, reverse("talent:show_pool", kwargs={"pool_id": pool.pk})


PAGES = {
    "HEE follow-up rates": follow_up_rates,
    "training-body admin home": admin_home,
    "clinician home": clinician_home,
    "talent pool member list": pool_members,
}
results = {}
for page, setup in PAGES.items():
    results[page] = []
    sizes = [*SIZES, 0] if page == "HEE follow-up rates" else SIZES  # 0: every follow-up in the country
    for size in sizes:
        with transaction.atomic():
            items, user, path = setup(size)
            status, queries = counted(client_for(user), path)
            results[page].append({"items": items, "queries": queries, "status": status})
            transaction.set_rollback(True)
print("BENCH_RESULT " + json.dumps(results))
"""

DISPATCH_SCRIPT = r"""
import json, os, time
from datetime import datetime, time as midnight, timedelta
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from accounts.models import NudgeFrequency, TrainingBody
from talent.models import EarlyInterestSignal, FollowUp, Nudge, NudgeEntry
from talent.services import nudges

RUNS = int(os.environ["BENCH_RUNS"])
bodies = TrainingBody.objects.filter(slug__startswith="synthetic-body-")


def monday(moment):
    day = timezone.localtime(moment).date()
    return timezone.make_aware(datetime.combine(day - timedelta(days=day.weekday()), midnight.min))


# A week after every seeded nudge and signal (the seeder dates many signals at the moment it ran, which is no week
# anyone lives through), with the last complete seeded week's early-interest signals replayed into it.
last_signal = EarlyInterestSignal.objects.aggregate(at=Max("created_at"))["at"]
latest = max(filter(None, [last_signal, Nudge.objects.aggregate(end=Max("period_end"))["end"]]))
start = monday(latest) + timedelta(days=7)
now = start + timedelta(days=7, hours=1)
source_end = monday(last_signal)
source_start = source_end - timedelta(days=7)


def run(with_follow_ups):
    with transaction.atomic():
        TrainingBody.objects.exclude(pk__in=bodies).update(nudge_frequency=NudgeFrequency.OFF)
        bodies.update(nudge_frequency=NudgeFrequency.WEEKLY)
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO talent_earlyinterestsignal (profile_id, kind, created_at, detail) "
                "SELECT profile_id, kind, created_at + %s, detail FROM talent_earlyinterestsignal "
                "WHERE created_at >= %s AND created_at < %s",
                [start - source_start, source_start, source_end],
            )
            replayed = cursor.rowcount
        # Every body's previous nudge ends where this week starts, so each is nudged for this one week only.
        Nudge.objects.bulk_create(
            Nudge(training_body=body, frequency="weekly", period_start=start - timedelta(days=7), period_end=start)
            for body in bodies.exclude(nudges__period_end__gte=start)
        )
        before = FollowUp.objects.count()
        step, spent = nudges.follow_ups_open, []

        def timed(**kwargs):
            started = time.perf_counter()
            step(**kwargs)
            spent.append(time.perf_counter() - started)

        nudges.follow_ups_open = timed if with_follow_ups else (lambda **kwargs: None)
        try:
            started = time.perf_counter()
            built = nudges.nudges_dispatch(now=now)
            seconds = time.perf_counter() - started
        finally:
            nudges.follow_ups_open = step
        figures = {
            "seconds": seconds,
            "follow_ups_seconds": sum(spent),  # the step alone, inside the dispatch's time
            "nudges": len(built),
            "entries": NudgeEntry.objects.filter(nudge__in=built).count(),
            "opened": FollowUp.objects.count() - before,
            "signals": replayed,
        }
        transaction.set_rollback(True)
    return figures


run(True), run(False)  # warm-up, not counted
runs = {"with": [], "without": []}
for _ in range(RUNS):
    runs["with"].append(run(True))
    runs["without"].append(run(False))
print("BENCH_RESULT " + json.dumps({"week": [start.isoformat(), now.isoformat()], "runs": runs}))
"""


def support_figures(target: Served, *, runs: int) -> SupportFigures:
    """The support part's figures at the target's population (see the module docstring)."""
    figures = SupportFigures(sizes=list(SIZES))
    # The process's own cache (see the module docstring); the test client's host name.
    own_cache = {"CACHE_URL": "", "ALLOWED_HOSTS": "testserver"}
    try:
        figures.queries = django_script(target, QUERIES_SCRIPT, BENCH_SIZES=",".join(map(str, SIZES)), **own_cache)
    except RuntimeError as error:
        figures.notes.append(f"query counts failed: {str(error)[-500:]}")
    try:
        result = django_script(target, DISPATCH_SCRIPT, BENCH_RUNS=str(runs), **own_cache)
        figures.dispatch = result["runs"]
    except RuntimeError as error:
        figures.notes.append(f"dispatch failed: {str(error)[-500:]}")
    return figures
