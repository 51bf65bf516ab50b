"""Incremental refreshes: the figures after folding in only the clinicians who changed are exactly those of a full
rebuild, whatever changed and however much time passed (the staff lists' totals and licence at risk included); a
refresh that changed nothing leaves pages cached."""

import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Region, TrainingBody
from accounts.services import account_copy_to_profile
from pathways.models import Opportunity, OpportunityKind
from pipeline.models import (
    PipelineChange,
    PipelineLicenceRollup,
    PipelineListRollup,
    PipelinePlacement,
    PipelineRollup,
    PipelineRollupRun,
    PipelineScopeSummary,
    RefreshKind,
)
from pipeline.selectors import PipelineScope, pipeline_scope_summaries
from pipeline.selectors.figures import scope_summary_key
from pipeline.services import (
    PLACEMENT_COLUMNS,
    ROLLUP_TABLES,
    pipeline_rollups_refresh,
)
from pipeline.stages import PipelineStage
from regulators.models import Profession, Regulator, RevalidationRecord
from talent.models import (
    AgeBand,
    AssessmentStatus,
    ClinicianProfile,
    EqualityMonitoring,
    LeadershipExperience,
    Nomination,
    NominationState,
    Qualification,
    QualificationKind,
    SelfAssessment,
    Sex,
)
from talent.services.clinicians import (
    clinician_account_delete,
    consent_set,
    equality_monitoring_save,
    experience_delete,
    experience_save,
    interest_record,
    qualification_delete,
    qualification_save,
)
from tests.factories import ClinicianProfileFactory, HEEStaffFactory, NominationFactory, TrainingBodyFactory

pytestmark = pytest.mark.django_db

UK = ZoneInfo("Europe/London")
# Early in a month, so the rounds' days pass inside it (the month turning brings a full rebuild).
START = datetime(2026, 11, 2, 9, 30, tzinfo=UK)
LEVELS = ["team", "service", "organisation", "system", "national"]
CHANGES = [
    "interest",
    "assessment",
    "nomination",
    "approval",
    "role",
    "role ends",
    "role removed",
    "qualification",
    "qualification removed",
    "equality",
    "equality removed",
    "move",
    "consent",
    "consent to the training body",
    "revalidation",
    "revalidation removed",
    "deactivation",
    "reactivation",
    "deletion",
    "erasure",
    "new clinician",
]


def rollup_rows() -> dict[str, list[tuple]]:
    """Every roll-up table's rows (without ids), sorted, leaving out cells counted down to nothing."""
    tables = {}
    for model in ROLLUP_TABLES:
        names = [field.attname for field in model._meta.concrete_fields if not field.primary_key]
        measure = "clinicians" if "clinicians" in names else "events"
        rows = model.objects.exclude(**{measure: 0}).values_list(*names)
        tables[model._meta.db_table] = sorted(rows, key=repr)
    return tables


def figures_now() -> dict:
    """All a refresh leaves behind that people see or that the next refresh starts from."""
    return {
        "rollups": rollup_rows(),
        "profiles": list(
            ClinicianProfile.objects.order_by("pk").values_list("pk", "pipeline_stage", "pipeline_leader")
        ),
        "placements": sorted(PipelinePlacement.objects.values_list(*PLACEMENT_COLUMNS), key=repr),
    }


def full_rebuild_figures(now: datetime) -> dict:
    """What a full rebuild at `now` gives, without keeping it (the incremental state carries on)."""
    point = transaction.savepoint()
    pipeline_rollups_refresh(now=now, full=True)
    figures = figures_now()
    summaries = stored_summaries()
    transaction.savepoint_rollback(point)
    return figures | {"summaries": summaries}


def stored_summaries() -> dict:
    """Each stored scope's figures as a page would read them for the latest run (carried over or new): England,
    each region and each training body, with the totals of their unfiltered staff lists (`listed`)."""
    run = PipelineRollupRun.objects.order_by("-pk").first()
    served = {}
    for scope in [
        PipelineScope(),
        *[PipelineScope(region_id=pk) for pk in Region.objects.values_list("pk", flat=True)],
        *[PipelineScope(training_body_ids=(pk,)) for pk in TrainingBody.objects.values_list("pk", flat=True)],
    ]:
        key = scope_summary_key(scope)
        summary = PipelineScopeSummary.objects.filter(scope=key, run_id__lte=run.pk).order_by("-run_id").first().summary
        served[key] = {name: value for name, value in summary.items() if name not in ("version", "as_of")}
    return served


class Population:
    """A small population and random changes to it through the services people use (or, where none is at hand
    in a test, plain writes: the change log is written by the database whatever writes a fact)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.regions = list(Region.objects.all())
        self.bodies = [TrainingBodyFactory(region=self.rng.choice(self.regions)) for _ in range(3)]
        self.opportunities = self.roles = self.nurses = 0
        for _ in range(24):
            self.clinician_add()

    def opportunity_new(self) -> Opportunity:
        self.opportunities += 1
        return Opportunity.objects.create(
            slug=f"leadership-course-{self.opportunities}",
            title="Leadership course",
            provider="Example provider",
            kind=OpportunityKind.COURSE,
            summary="Summary.",
            description="Description.",
            opens_on=START.date() - timedelta(days=300),
            closes_on=START.date() + timedelta(days=300),
            status="published",
            published_at=START - timedelta(days=300),
        )

    def profiles(self) -> list[ClinicianProfile]:
        return list(ClinicianProfile.objects.order_by("created_at", "registration_number"))

    def today(self):
        return timezone.localdate()

    def now(self):
        return timezone.now()

    def clinician_add(self) -> None:
        rng = self.rng
        profile = ClinicianProfileFactory(
            region=rng.choice(self.regions),
            training_body=rng.choice([None, *self.bodies]),
            specialty=rng.choice(["Cardiology", "Emergency medicine", "Surgery"]),
            first_registration_year=self.today().year - rng.choice([1, 4, 10, 20]),
            current_interest_level=rng.randint(0, 4),
            # Some share with nobody, some with HEE or their body only (the staff lists' totals).
            shares_with_hee=rng.random() < 0.7,
            shares_with_training_body=rng.random() < 0.6,
        )
        # Facts on the edge of changing with time alone: a self-assessment about to be twelve months old, a role
        # about to start or end, a revalidation about to be overdue or due soon.
        if rng.random() < 0.3:
            completed = self.now() - timedelta(days=365) + timedelta(hours=rng.randint(1, 24 * 8))
            SelfAssessment.objects.create(profile=profile, status=AssessmentStatus.COMPLETED, completed_at=completed)
        if rng.random() < 0.4:
            start = self.today() + timedelta(days=rng.randint(-900, 8))
            end = rng.choice([None, self.today() + timedelta(days=rng.randint(-3, 8))])
            self.role_add(profile, start, end if end is None or end >= start else None)
        if rng.random() < 0.4:
            RevalidationRecord.objects.create(
                profile=profile,
                regulator=Regulator.objects.get(code="GMC"),
                next_due_on=self.today() + timedelta(days=rng.choice([1, 3, 5, 91, 93, 95, 200])),
            )
        if rng.random() < 0.5:
            self.equality_answer(profile)
        if rng.random() < 0.3:
            self.qualification_add(profile)

    def role_add(self, profile, start, end=None) -> None:
        self.roles += 1
        experience_save(
            profile=profile,
            role="Clinical lead",
            organisation=f"Trust {self.roles}",
            level=self.rng.choice(LEVELS),
            start_date=start,
            end_date=end,
        )

    def equality_answer(self, profile) -> None:
        equality_monitoring_save(
            profile=profile,
            answers={"sex": self.rng.choice(Sex.values), "age_band": self.rng.choice(["", *AgeBand.values])},
        )

    def qualification_add(self, profile) -> None:
        qualification_save(profile=profile, kind=self.rng.choice(QualificationKind.values), title="A qualification")

    # --- one random change --------------------------------------------------------------------------------------

    def change(self, kind: str | None = None) -> str:
        rng = self.rng
        profiles = self.profiles()
        profile = rng.choice(profiles)
        kind = kind or rng.choice(CHANGES)
        if kind == "interest":
            level = rng.randint(0, 4)  # "Not now" fits only the far horizon
            interest_record(profile=profile, level=level, readiness_horizon="1_3_years" if level else "4_plus_years")
        elif kind == "assessment":
            SelfAssessment.objects.create(
                profile=profile,
                status=AssessmentStatus.COMPLETED,
                completed_at=self.now() - timedelta(days=rng.randint(0, 400)),
            )
        elif kind == "nomination":
            NominationFactory(
                profile=profile,
                opportunity=self.opportunity_new(),
                training_body=profile.training_body or self.bodies[0],
            )
        elif kind == "approval":
            nomination = Nomination.objects.filter(state=NominationState.SUBMITTED).order_by("?").first()
            if nomination:
                nomination.state, nomination.decided_at = NominationState.APPROVED, self.now()
                nomination.save(update_fields=["state", "decided_at"])
        elif kind == "role":
            self.role_add(profile, self.today() + timedelta(days=rng.randint(-700, 5)))
        elif kind == "role ends":
            role = LeadershipExperience.objects.filter(profile=profile, end_date__isnull=True).first()
            if role and role.start_date <= self.today():
                experience_save(
                    profile=profile,
                    experience=role,
                    role=role.role,
                    organisation=role.organisation,
                    level=role.level,
                    start_date=role.start_date,
                    end_date=self.today() + timedelta(days=rng.randint(0, 3)),
                )
        elif kind == "role removed":
            role = LeadershipExperience.objects.filter(profile=profile).first()
            if role:
                experience_delete(profile=profile, experience=role)
        elif kind == "qualification":
            self.qualification_add(profile)
        elif kind == "qualification removed":
            qualification = Qualification.objects.filter(profile=profile).first()
            if qualification:
                qualification_delete(profile=profile, qualification=qualification)
        elif kind == "equality":
            self.equality_answer(profile)
        elif kind == "equality removed":
            EqualityMonitoring.objects.filter(profile=profile).delete()
        elif kind == "move":
            profile.region = rng.choice(self.regions)
            profile.training_body = rng.choice([None, *self.bodies])
            profile.training_body_confirmed_at = self.now() if profile.training_body else None
            profile.specialty = rng.choice(["Cardiology", "Emergency medicine", "Surgery", "Paediatrics"])
            profile.career_stage = rng.choice(["specialty_training", "consultant_gp", "foundation"])
            if profile.career_stage != "specialty_training":
                profile.specialty_training_year = None
            if rng.random() < 0.3:
                profile.profession, profile.regulator = Profession.NURSE, Regulator.objects.get(code="NMC")
                self.nurses += 1
                profile.registration_number, profile.specialty_training_year = f"10A{self.nurses:04d}B", None
                profile.career_stage = "band_6"
            profile.save()
        elif kind == "consent":
            consent_set(profile=profile, recipient="hee", granted=rng.random() < 0.5)
        elif kind == "consent to the training body":
            consent_set(profile=profile, recipient="training_body", granted=rng.random() < 0.7)
        elif kind == "revalidation":
            RevalidationRecord.objects.update_or_create(
                profile=profile,
                defaults={
                    "regulator": Regulator.objects.get(code="GMC"),
                    "next_due_on": self.today() + timedelta(days=rng.randint(-10, 120)),
                },
            )
        elif kind == "revalidation removed":
            RevalidationRecord.objects.filter(profile=profile).delete()
        elif kind in ("deactivation", "reactivation"):
            user = profile.user
            user.is_active = kind == "reactivation"
            user.save(update_fields=["is_active"])
            account_copy_to_profile(user=user)
        elif kind == "deletion":
            profile.user.delete()
        elif kind == "erasure":
            if profile.user.is_active:
                clinician_account_delete(user=profile.user)
        elif kind == "new clinician":
            self.clinician_add()
        return kind


def test_incremental_refreshes_give_exactly_the_figures_of_a_full_rebuild_after_random_changes(settings):
    """Several rounds of random changes (interest, self-assessments, nominations and approvals, roles starting and
    ending, qualifications, equality answers, moves between regions, bodies and professions, both consents,
    revalidation dates set and removed, deactivations, deletions, new clinicians) and of days passing, each followed
    by an incremental refresh: every roll-up row (the staff lists' and licence at risk's included), every profile's
    stage and leader flag, every placement and every stored summary a page would read (England's, each region's and
    each training body's, with their `listed` counts) are those a full rebuild gives at the same moment."""
    settings.PIPELINE_FULL_REBUILD_HOURS = 24 * 60  # only incremental ones after the first
    rng = random.Random(22)
    moment = START
    with time_machine.travel(moment, tick=False) as clock:
        population = Population(rng)
        pipeline_rollups_refresh(now=moment)
        assert PipelineRollupRun.objects.order_by("-pk").first().kind == RefreshKind.FULL
        done, statuses, consents, listed = [], set(), set(), {}
        # The first round makes every kind of change once, in a random order; the others random ones.
        for round_ in range(7):
            moment += timedelta(days=rng.randint(0, 3), hours=rng.randint(0, 12), minutes=rng.randint(1, 59))
            clock.move_to(moment)
            kinds = rng.sample(CHANGES, len(CHANGES)) if round_ == 0 else [None] * rng.randint(3, 9)
            for kind in kinds:
                done.append(population.change(kind))
            pipeline_rollups_refresh(now=moment)

            run = PipelineRollupRun.objects.order_by("-pk").first()
            assert run.kind == RefreshKind.INCREMENTAL
            incremental = figures_now() | {"summaries": stored_summaries()}
            assert incremental == full_rebuild_figures(moment)
            statuses |= set(PipelineLicenceRollup.objects.values_list("status", flat=True))
            consents |= set(PipelineListRollup.objects.values_list("shares_with_hee", "shares_with_training_body"))
            for key, summary in incremental["summaries"].items():
                listed.setdefault(key, set()).add(repr(summary["listed"]))
        assert moment.month == START.month
    assert set(done) == set(CHANGES)
    # The new roll-ups and the training bodies' stored counts had something to prove.
    assert len(statuses) >= 3
    assert len(consents) == 4
    assert any(len(counts) > 1 for key, counts in listed.items() if key.startswith("body:"))


def test_facts_that_change_with_time_alone_are_folded_in(settings):
    """No one changes anything, but days pass: a self-assessment passes twelve months (Developing no longer), a
    role recorded ahead starts (In a leadership role) and another ends: the incremental refresh sees all three."""
    settings.PIPELINE_FULL_REBUILD_HOURS = 24 * 60
    with time_machine.travel(START, tick=False) as clock:
        assessed = ClinicianProfileFactory(current_interest_level=1)
        SelfAssessment.objects.create(
            profile=assessed, status=AssessmentStatus.COMPLETED, completed_at=START - timedelta(days=364)
        )
        starting, ending = ClinicianProfileFactory(current_interest_level=0), ClinicianProfileFactory()
        experience_save(
            profile=starting, role="Lead", organisation="Trust", level="service", start_date=START.date() + timedelta(2)
        )
        experience_save(
            profile=ending,
            role="Lead",
            organisation="Trust",
            level="service",
            start_date=START.date() - timedelta(days=400),
            end_date=START.date() + timedelta(days=1),
        )
        pipeline_rollups_refresh(now=START)
        stages = dict(ClinicianProfile.objects.values_list("pk", "pipeline_stage"))
        assert (stages[assessed.pk], stages[starting.pk], stages[ending.pk]) == (2, 0, 6)

        later = START + timedelta(days=3)
        clock.move_to(later)
        assert not PipelineChange.objects.exists()
        pipeline_rollups_refresh(now=later)

    run = PipelineRollupRun.objects.order_by("-pk").first()
    assert (run.kind, run.changed) == (RefreshKind.INCREMENTAL, 3)
    stages = dict(ClinicianProfile.objects.values_list("pk", "pipeline_stage"))
    # Interested now; in a role; appointed once (the role has ended).
    assert (stages[assessed.pk], stages[starting.pk], stages[ending.pk]) == (1, 6, 5)


def test_a_full_rebuild_comes_when_none_was_made_for_the_configured_hours_or_the_month_turns(settings):
    def refresh(moment: datetime, **kwargs) -> str:
        with time_machine.travel(moment, tick=False):
            pipeline_rollups_refresh(now=moment, **kwargs)
        return PipelineRollupRun.objects.order_by("-pk").first().kind

    with time_machine.travel(START, tick=False):
        ClinicianProfileFactory()
    settings.PIPELINE_FULL_REBUILD_HOURS = 24
    kinds = [
        refresh(START),  # the first
        refresh(START + timedelta(hours=23)),
        refresh(START + timedelta(hours=24)),  # a day since the last full rebuild
        refresh(START + timedelta(hours=25)),
    ]
    settings.PIPELINE_FULL_REBUILD_HOURS = 24 * 60
    kinds += [
        refresh(datetime(2026, 11, 30, 23, 50, tzinfo=UK)),
        refresh(datetime(2026, 12, 1, 0, 5, tzinfo=UK)),  # the month turned: the trends' window moved
        refresh(datetime(2026, 12, 1, 0, 7, tzinfo=UK), full=True),
        refresh(datetime(2026, 12, 1, 0, 9, tzinfo=UK)),
    ]
    assert kinds == ["full", "incremental", "full", "incremental", "incremental", "full", "full", "incremental"]


def figures_read(queries) -> list[str]:
    """The queries that read roll-ups or stored figures (what making the figures does)."""
    tables = [f'"{model._meta.db_table}"' for model in [*ROLLUP_TABLES, PipelineScopeSummary]]
    return [query["sql"] for query in queries.captured_queries if any(table in query["sql"] for table in tables)]


def test_a_refresh_that_changed_nothing_stores_no_figures_and_leaves_the_dashboard_cached(client, regional_hee_staff):
    """A refresh with nothing to fold in records its time but stores no new summaries, and the dashboard is served
    from the cache without reading a roll-up, saying the new time; so is one whose changes move no count (a new
    employer). A change that moves a count makes the figures again."""
    london = Region.objects.get(slug="london")
    hee_staff = HEEStaffFactory()
    with time_machine.travel(START, tick=False) as clock:
        ClinicianProfileFactory(region=london, current_interest_level=2)
        elsewhere = ClinicianProfileFactory()
        pipeline_rollups_refresh(now=START)
        summaries = PipelineScopeSummary.objects.count()
        for user in (regional_hee_staff, hee_staff):
            client.force_login(user)
            client.get(reverse("pipeline:show_dashboard"))

        def dashboard(user, moment: datetime) -> list[str]:
            clock.move_to(moment)
            pipeline_rollups_refresh(now=moment)
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("pipeline:show_dashboard"))
            assert response.status_code == 200
            assert f"Figures as of {moment:%H:%M} on 2 November 2026" in response.content.decode()
            return figures_read(queries)

        assert not dashboard(hee_staff, START + timedelta(minutes=2))
        run = PipelineRollupRun.objects.order_by("-pk").first()
        assert (run.kind, run.changed) == (RefreshKind.INCREMENTAL, 0)
        assert PipelineScopeSummary.objects.count() == summaries

        elsewhere.employer_name = "Another Trust"
        elsewhere.save()
        assert not dashboard(regional_hee_staff, START + timedelta(minutes=4))
        run = PipelineRollupRun.objects.order_by("-pk").first()
        assert (run.kind, run.changed) == (RefreshKind.INCREMENTAL, 1)
        assert PipelineScopeSummary.objects.count() == summaries

        interest_record(profile=elsewhere, level=2, readiness_horizon="1_3_years")
        assert dashboard(regional_hee_staff, START + timedelta(minutes=6))
        assert PipelineScopeSummary.objects.filter(run=PipelineRollupRun.objects.order_by("-pk").first()).exists()


def test_stored_summaries_carried_over_are_what_the_latest_run_would_compute(training_body):
    with time_machine.travel(START, tick=False) as clock:
        profile = ClinicianProfileFactory(training_body=training_body)
        pipeline_rollups_refresh(now=START)
        interest_record(profile=profile, level=3, readiness_horizon="1_3_years")
        clock.move_to(START + timedelta(minutes=2))
        pipeline_rollups_refresh(now=START + timedelta(minutes=2))
        clock.move_to(START + timedelta(minutes=4))
        pipeline_rollups_refresh(now=START + timedelta(minutes=4))
        run = PipelineRollupRun.objects.order_by("-pk").first()
        computed = {
            key: {name: value for name, value in summary.items() if name not in ("version", "as_of")}
            for key, summary in pipeline_scope_summaries(run).items()
        }
    assert stored_summaries() == computed
    assert PipelineRollup.objects.filter(stage=PipelineStage.DEVELOPING).exists()  # the change is in


def test_the_placements_hold_a_column_for_every_roll_up_dimension_and_equality_question():
    """A dimension added to the roll-ups (or an equality question) must be stored per clinician too, or an
    incremental refresh could not take back what a clinician added."""
    from pipeline.selectors import EQUALITY_ATTRIBUTES

    for model in ROLLUP_TABLES:
        for field in model._meta.concrete_fields:
            if field.column in (
                "id",
                "clinicians",
                "events",
                "month",
                "metric",
                "months",
                "attribute",
                "value",
                "status",
            ):
                continue
            assert field.column in PLACEMENT_COLUMNS, f"{model.__name__}.{field.name} is not in the placements"
    assert set(EQUALITY_ATTRIBUTES) <= set(PLACEMENT_COLUMNS)
    assert "revalidation_status" in PLACEMENT_COLUMNS  # licence at risk's `status`


def test_every_change_of_a_pipeline_fact_is_logged_in_its_own_transaction(training_body):
    """The database logs the clinician whichever way a fact is written; the refresh's own writes of the stage and
    leader flag are not logged."""
    profile = ClinicianProfileFactory(training_body=training_body)
    PipelineChange.objects.all().delete()

    interest_record(profile=profile, level=2, readiness_horizon="1_3_years")
    Qualification.objects.create(profile=profile, kind="fmlm_fellow", title="FMLM Fellow")
    ClinicianProfile.objects.filter(pk=profile.pk).update(region=Region.objects.get(slug="london"))
    assert set(PipelineChange.objects.values_list("profile_id", flat=True)) == {profile.pk}
    assert {"talent_interestrecord", "talent_qualification", "talent_clinicianprofile"} <= set(
        PipelineChange.objects.values_list("source", flat=True)
    )

    pipeline_rollups_refresh()  # writes the profile's stage: not a change of a fact
    assert not PipelineChange.objects.exists()
    assert ClinicianProfile.objects.get(pk=profile.pk).pipeline_stage == 1

    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    profile.user.last_login = profile.user.date_joined
    profile.user.save(update_fields=["last_login"])  # not a pipeline fact of the account
    assert list(PipelineChange.objects.values_list("profile_id", "source")) == [(profile.pk, "accounts_user")]
