"""Roll-ups behind the HEE talent-pipeline dashboard (DESIGN.md section 4): derived data, rebuilt from talent's
tables by `pipeline.services.pipeline_rollups_refresh`.

Anonymous counts, pre-aggregated by every dimension the dashboard filters on, so a request sums a few hundred rows
instead of scanning a million profiles. A refresh rebuilds them in one transaction (readers keep seeing the previous
figures until it commits); each rebuild is a `PipelineRollupRun`, whose id is the version that cache keys carry and
whose time the page shows.

No row names a person: the finest cell is a count of clinicians sharing the same region, training body, profession,
career stage, specialty, early-career flag, month joined, furthest pipeline stage and leader flag.

The tables keep the names they had when these models lived in the talent app (`db_table`), so moving the models
moved no data (pipeline/README.md).
"""

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from talent.models import PipelineStage


class RefreshKind(models.TextChoices):
    FULL = "full", "Full rebuild"
    INCREMENTAL = "incremental", "Changed clinicians folded in"


class PipelineRollupRun(models.Model):
    """One refresh of the roll-ups: its time is what "figures as of" shows. A full one rebuilds every table from the
    base tables; an incremental one folds in only the clinicians whose pipeline facts changed since the run before
    (`pipeline.services`)."""

    refreshed_at = models.DateTimeField(default=timezone.now, db_index=True)
    duration_ms = models.PositiveIntegerField(default=0)
    clinicians = models.PositiveIntegerField(default=0)
    # Empty on runs made before refreshes had kinds: none of them left placements to fold into.
    kind = models.CharField(max_length=12, choices=RefreshKind.choices, blank=True, default="")
    changed = models.PositiveIntegerField(default=0, help_text="Clinicians folded in (all of them in a full rebuild).")
    # An incremental run whose changes left every placement as it was (or that had none) has the figures of the run
    # before: cached pages are keyed by that run, so they outlive it (`pipeline.selectors.pipeline_figures_version`).
    same_figures_as = models.PositiveIntegerField(
        null=True, blank=True, help_text="The earlier run whose figures these are, when this one changed none."
    )

    class Meta:
        db_table = "talent_pipelinerolluprun"
        ordering = ["-refreshed_at", "-id"]

    def __str__(self) -> str:
        return f"Pipeline figures as of {self.refreshed_at:%Y-%m-%d %H:%M}"


class PipelineScopeSummary(models.Model):
    """The unfiltered dashboard of one scope (England, one region or one training body), computed when its run is
    written, so the first page a person sees is one small read however many clinicians there are. It also holds how
    many clinicians of the scope share their records with HEE and with their training body (`listed`), the totals
    of the unfiltered staff lists. A run that changed no figures stores none: the latest stored up to a run are its
    figures (`pipeline.selectors.pipeline_summary`)."""

    run = models.ForeignKey(PipelineRollupRun, on_delete=models.CASCADE, related_name="summaries")
    scope = models.CharField(max_length=40, help_text='"national", "region:<id>" or "body:<id>".')
    summary = models.JSONField()

    class Meta:
        db_table = "talent_pipelinescopesummary"
        constraints = [models.UniqueConstraint(fields=["run", "scope"], name="pipeline_summary_one_per_scope")]

    def __str__(self) -> str:
        return f"{self.scope} as of run {self.run_id}"


class PipelineCoarseDimensions(models.Model):
    """The filter dimensions of the coarse roll-ups: all but specialty and month joined, the two that multiply rows
    most (many values each) and that few views filter on. A view without those two filters reads these tables, which
    are several times smaller than the full ones."""

    region_id = models.IntegerField()
    training_body_id = models.IntegerField(null=True)
    profession = models.CharField(max_length=40)
    career_stage = models.CharField(max_length=32)
    early_career = models.BooleanField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.profession}, {self.career_stage}"


class PipelineDimensions(PipelineCoarseDimensions):
    """The filter dimensions every full roll-up row carries (denormalised: plain ids and codes, no joins at read)."""

    specialty = models.CharField(max_length=120)
    joined_month = models.DateField(help_text="First day of the month the clinician's profile was created.")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.profession}, {self.career_stage}, joined {self.joined_month:%Y-%m}"


class PipelineRollup(PipelineDimensions):
    """Clinicians per combination of dimensions, furthest stage and leader flag (organisation level and above)."""

    stage = models.PositiveSmallIntegerField(choices=PipelineStage.choices)
    leader = models.BooleanField()
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "talent_pipelinerollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_rollup_region_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_rollup_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("specialty"),
                F("joined_month"),
                F("early_career"),
                F("stage"),
                F("leader"),
                name="pipeline_rollup_cell_idx",
            ),
        ]


class PipelineTrendRollup(PipelineDimensions):
    """Events per calendar month for the trends (last 24 months): interest records by level, completed
    self-assessments, nominations submitted and approved. `joined_month` is the clinician's, not the event's."""

    month = models.DateField()
    metric = models.CharField(max_length=32)
    events = models.PositiveIntegerField()

    class Meta:
        db_table = "talent_pipelinetrendrollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_trend_region_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_trend_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("specialty"),
                F("joined_month"),
                F("early_career"),
                F("month"),
                F("metric"),
                name="pipeline_trend_cell_idx",
            ),
        ]


class PipelineCoarseRollup(PipelineCoarseDimensions):
    """`PipelineRollup` summed over specialty and month joined."""

    stage = models.PositiveSmallIntegerField(choices=PipelineStage.choices)
    leader = models.BooleanField()
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "talent_pipelinecoarserollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_coarse_region_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_coarse_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("early_career"),
                F("stage"),
                F("leader"),
                name="pipeline_coarse_cell_idx",
            ),
        ]


class PipelineCoarseTrendRollup(PipelineCoarseDimensions):
    """`PipelineTrendRollup` summed over specialty and month joined."""

    month = models.DateField()
    metric = models.CharField(max_length=32)
    events = models.PositiveIntegerField()

    class Meta:
        db_table = "talent_pipelinecoarsetrendrollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_coarse_trend_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_coarse_trend_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("early_career"),
                F("month"),
                F("metric"),
                name="pipeline_coarse_trend_cell_idx",
            ),
        ]


class PipelineCoarseBackgroundRollup(PipelineCoarseDimensions):
    """Backgrounds (equality answers and leadership qualifications) per combination of the coarse dimensions and
    leader flag. Equality cells only ever leave the service through `pipeline.suppression`, at every level.
    (Views filtered by specialty or date range group the profiles instead: see `pipeline.selectors.figures`.)"""

    leader = models.BooleanField()
    # The furthest stage, on equality rows only: how likely each group is to move on (`pipeline.likelihood`) comes
    # from the same rows as the backgrounds, so one table and one read serve both.
    stage = models.PositiveSmallIntegerField(
        choices=PipelineStage.choices, null=True, help_text="Furthest stage; empty on leadership-qualification rows."
    )
    attribute = models.CharField(max_length=32)
    value = models.CharField(max_length=40)
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "talent_pipelinecoarsebackgroundrollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_coarse_background_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_coarse_bg_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("early_career"),
                F("leader"),
                F("attribute"),
                F("value"),
                Coalesce("stage", -1),
                name="pipeline_background_cell_idx",
            ),
        ]


class PipelineAppointmentRollup(PipelineDimensions):
    """Clinicians appointed after their first recorded interest, per whole months from that interest (Curious or
    above) to the start of their first appointment at service level or above on or after it. The dashboard's median
    time to appointment by profession is read from these counts (a few rows per month and profession), so a page
    never walks the interest history of a million clinicians."""

    months = models.PositiveSmallIntegerField()
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "pipeline_appointmentrollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_appointment_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_appointment_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("specialty"),
                F("joined_month"),
                F("early_career"),
                F("months"),
                name="pipeline_appointment_cell_idx",
            ),
        ]


class PipelineListRollup(PipelineCoarseDimensions):
    """Clinicians per combination of what the staff lists filter on (the coarse dimensions, current interest level,
    furthest stage, leader flag) and the two consents that decide who may list them: the exact totals of the
    clinicians list, the `clinicians/` API and the drill-down, as of the run, without counting the profiles."""

    interest_level = models.PositiveSmallIntegerField()
    stage = models.PositiveSmallIntegerField(choices=PipelineStage.choices)
    leader = models.BooleanField()
    shares_with_hee = models.BooleanField()
    shares_with_training_body = models.BooleanField()
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "pipeline_listrollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_list_region_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_list_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("early_career"),
                F("interest_level"),
                F("stage"),
                F("leader"),
                F("shares_with_hee"),
                F("shares_with_training_body"),
                name="pipeline_list_cell_idx",
            ),
        ]


class RevalidationStatus(models.TextChoices):
    """A leader's revalidation or renewal on the day of the refresh (`regulators.revalidation`'s rule)."""

    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due within 90 days"
    ON_TRACK = "on_track", "On track"
    WITHOUT_DATE = "without_date", "No date recorded"


class PipelineLicenceRollup(PipelineDimensions):
    """Clinicians in a leadership role (the furthest stage) per combination of dimensions and revalidation status
    on the day of the refresh: the dashboard's "licence at risk" figures, with every filter, read without touching
    the profiles."""

    status = models.CharField(max_length=16, choices=RevalidationStatus.choices)
    clinicians = models.PositiveIntegerField()

    class Meta:
        db_table = "pipeline_licencerollup"
        indexes = [
            models.Index(fields=["region_id", "profession"], name="pipeline_licence_region_idx"),
            models.Index(fields=["training_body_id", "profession"], name="pipeline_licence_body_idx"),
            # One row per cell: an incremental refresh adds to and takes from cells found by this (empty ids as -1).
            models.Index(
                F("region_id"),
                Coalesce("training_body_id", -1),
                F("profession"),
                F("career_stage"),
                F("specialty"),
                F("joined_month"),
                F("early_career"),
                F("status"),
                name="pipeline_licence_cell_idx",
            ),
        ]


# --- What the last refresh counted, and what changed since (incremental refreshes) -----------------------------------


class PipelinePlacement(PipelineDimensions):
    """What one counted clinician contributed to the roll-ups at the last refresh: their dimensions (inherited, so a
    dimension added to the roll-ups is stored here too), furthest stage, leader flag, equality answers, leadership
    qualifications, months to appointment, interest level, consents and revalidation status. An incremental refresh
    takes these from the roll-ups before adding the clinician's new ones; no page reads this table. Keyed by profile
    id without a foreign key: a deleted clinician's row is what their contribution is taken back from."""

    profile_id = models.UUIDField(primary_key=True)
    stage = models.PositiveSmallIntegerField(choices=PipelineStage.choices)
    leader = models.BooleanField()
    # One column per question of `pipeline.selectors.EQUALITY_ATTRIBUTES`; "" when not answered.
    sex = models.CharField(max_length=40, blank=True)
    age_band = models.CharField(max_length=40, blank=True)
    ethnic_group = models.CharField(max_length=40, blank=True)
    disability = models.CharField(max_length=40, blank=True)
    sexual_orientation = models.CharField(max_length=40, blank=True)
    religion = models.CharField(max_length=40, blank=True)
    qualifications = models.CharField(
        max_length=200, blank=True, help_text='Leadership qualification kinds held, as ",kind,kind,"; "" for none.'
    )
    months_to_appointment = models.PositiveSmallIntegerField(null=True)
    # What the staff lists' totals (`PipelineListRollup`) and licence at risk (`PipelineLicenceRollup`) count by.
    interest_level = models.PositiveSmallIntegerField()
    shares_with_hee = models.BooleanField()
    shares_with_training_body = models.BooleanField()
    revalidation_status = models.CharField(
        max_length=16, choices=RevalidationStatus.choices, help_text="On the day of the refresh, whatever the stage."
    )

    class Meta:
        db_table = "pipeline_placement"

    def __str__(self) -> str:
        return f"Profile {self.profile_id} at stage {self.stage}"


class PipelinePlacementEvent(models.Model):
    """A counted clinician's events per month and trend series in the trends' window at the last refresh (what they
    added to `PipelineTrendRollup`)."""

    profile_id = models.UUIDField(db_index=True)
    month = models.DateField()
    metric = models.CharField(max_length=32)
    events = models.PositiveIntegerField()

    class Meta:
        db_table = "pipeline_placementevent"

    def __str__(self) -> str:
        return f"Profile {self.profile_id}: {self.events} {self.metric} in {self.month:%Y-%m}"


class PipelineChange(models.Model):
    """A clinician whose pipeline facts changed since the last refresh. Written by database triggers on PostgreSQL
    (pipeline migration 0006) in the transaction that changes the fact, whichever code path writes it; taken by the
    next refresh. `source` is the table that changed."""

    profile_id = models.UUIDField()
    source = models.CharField(max_length=63, blank=True)

    class Meta:
        db_table = "pipeline_change"

    def __str__(self) -> str:
        return f"Profile {self.profile_id} changed ({self.source})"
