"""API: `pipeline/summary/`, the talent-pipeline dashboard's figures with the same filters as the page.

Only anonymous aggregates, named by `scope` (what they cover, in words): stages with conversion rates, trends per
month, breakdowns per stage, backgrounds of leaders, every cell of which is already suppressed at every level,
national included (strings: "*" or a rounded number), licence-at-risk counts among clinicians in leadership roles,
the relative likelihood of each equality group reaching each stage (ratios only, none from small groups), and
outcomes (median time from first interest to appointment, by profession, hidden for fewer than 8 clinicians),
and the comparison with the eligible population (`population.selectors`).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.db import reading_from_replica
from pipeline import selectors
from pipeline.forms import PipelineFilterForm
from pipeline.likelihood import FIGURE, NONE_REACHED, REFERENCE_NONE_REACHED, TOO_FEW
from pipeline.selectors.representation import REFERENCE, WITHHELD
from pipeline.services import pipeline_fresh_run
from pipeline.stages import STAGE_BY_KEY
from population.selectors import eligible_population_comparison

# Named once (settings.SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]), as several fields of the schema share each.
STAGE_CHOICES = list(STAGE_BY_KEY)
TREND_SERIES_CHOICES = list(selectors.TREND_LABELS)


class StageSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=STAGE_CHOICES)
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="Clinicians at this stage or further along (cumulative).")
    conversion = serializers.FloatField(
        allow_null=True, help_text="Per cent of the stage before who reached this one; null for the first stage."
    )


class TrendSeriesSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=TREND_SERIES_CHOICES)
    label = serializers.CharField()
    values = serializers.ListField(child=serializers.IntegerField(), help_text="One value per month, in order.")


class TrendsSerializer(serializers.Serializer):
    months = serializers.ListField(child=serializers.CharField(), help_text="Months as YYYY-MM, oldest first.")
    month_labels = serializers.ListField(child=serializers.CharField())
    series = TrendSeriesSerializer(many=True)


class StageCountsSerializer(serializers.Serializer):
    registered = serializers.IntegerField()
    interested = serializers.IntegerField()
    developing = serializers.IntegerField()
    nominated = serializers.IntegerField()
    approved = serializers.IntegerField()
    appointed = serializers.IntegerField()
    in_role = serializers.IntegerField()


class BreakdownRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Region or training-body slug, or profession code.")
    label = serializers.CharField()
    counts = StageCountsSerializer()


class BreakdownsSerializer(serializers.Serializer):
    region = BreakdownRowSerializer(many=True)
    profession = BreakdownRowSerializer(many=True)
    training_body = BreakdownRowSerializer(many=True)


class BackgroundRowSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The answer's code; empty for not answered.", allow_blank=True)
    label = serializers.CharField()
    pipeline = serializers.CharField(
        help_text='Clinicians in the whole pipeline, rounded to the nearest 5, or "*": a count from 1 to 7, or a '
        "count hidden so that another cannot be worked out."
    )
    leaders = serializers.CharField(help_text='Of them, leaders at organisation level and above (the same, or "*").')


class BackgroundTotalSerializer(serializers.Serializer):
    pipeline = serializers.CharField()
    leaders = serializers.CharField()


class BackgroundSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    equality = serializers.BooleanField(help_text="Equality monitoring data.")
    suppressed = serializers.BooleanField(
        help_text="The small-number rule was applied to this table (always, at every level, national included)."
    )
    rows = BackgroundRowSerializer(many=True)
    total = BackgroundTotalSerializer(allow_null=True)


class LicenceAtRiskSerializer(serializers.Serializer):
    in_leadership_roles = serializers.IntegerField(help_text="Clinicians in a leadership role now (service level up).")
    overdue = serializers.IntegerField(help_text="Of them, revalidation or renewal overdue.")
    due_soon = serializers.IntegerField(help_text="Of them, due within 90 days.")
    at_risk = serializers.IntegerField(help_text="Overdue plus due within 90 days.")
    without_date = serializers.IntegerField(help_text="Of them, no revalidation date recorded.")


class TransitionSerializer(serializers.Serializer):
    key = serializers.ChoiceField(choices=STAGE_CHOICES, help_text="The stage reached.")
    label = serializers.CharField()
    from_key = serializers.ChoiceField(choices=STAGE_CHOICES, help_text="The stage before it.")
    from_label = serializers.CharField()


class LikelihoodSerializer(serializers.Serializer):
    transition = serializers.ChoiceField(choices=STAGE_CHOICES, help_text="The stage reached (`key` above).")
    status = serializers.ChoiceField(
        choices=[REFERENCE, FIGURE, TOO_FEW, NONE_REACHED, REFERENCE_NONE_REACHED, WITHHELD],
        help_text="`figure`; `reference` (the reference group's own row); `too_few` (the group or the reference "
        "had 1 to 7 clinicians at either stage, or none at the stage before); `none_reached` (none of the group, "
        "8 or more, reached it); `reference_none_reached` (none of the reference group did).",
    )
    ratio = serializers.FloatField(
        allow_null=True,
        help_text="Relative likelihood (a/n) / (b/m), two decimals: 1.00 is parity, below 1 less likely than the "
        "reference group to reach the stage from the one before. Null without a figure.",
    )
    low = serializers.FloatField(allow_null=True, help_text="Lower end of the 95% confidence interval.")
    high = serializers.FloatField(allow_null=True, help_text="Upper end of the 95% confidence interval.")


class RepresentationRowSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The answer's code.")
    label = serializers.CharField()
    reference = serializers.BooleanField(help_text="This is the reference group.")
    cells = LikelihoodSerializer(many=True, help_text="One per transition, in order.")


class ReferenceGroupSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    basis = serializers.CharField(help_text="Why this group is the reference.")


class RepresentationAttributeSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="The equality question, e.g. `ethnic_group`.")
    label = serializers.CharField()
    reference = ReferenceGroupSerializer(allow_null=True, help_text="Null when nobody answered the question.")
    rows = RepresentationRowSerializer(
        many=True, help_text="Answered groups only: not answered and prefer not to say are not compared."
    )


class RepresentationSerializer(serializers.Serializer):
    transitions = TransitionSerializer(many=True, help_text="Each stage from the one before, in order.")
    attributes = RepresentationAttributeSerializer(many=True)


class TimeToAppointmentRowSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Profession code; null for all professions.")
    label = serializers.CharField()
    shown = serializers.BooleanField(help_text="False when fewer than `minimum` clinicians are behind it.")
    clinicians = serializers.IntegerField(
        allow_null=True, help_text="Clinicians appointed on or after their first interest; null when not shown."
    )
    median_months = serializers.FloatField(
        allow_null=True, help_text="Median whole months from first interest to appointment; null when not shown."
    )


class TimeToAppointmentSerializer(serializers.Serializer):
    minimum = serializers.IntegerField(help_text="The fewest clinicians a median is shown for.")
    by_profession = TimeToAppointmentRowSerializer(many=True)
    all = TimeToAppointmentRowSerializer(allow_null=True, help_text="All professions; null when nobody is behind it.")


class OutcomesSerializer(serializers.Serializer):
    time_to_appointment = TimeToAppointmentSerializer(
        help_text="Months from the first recorded interest of Curious or above to the start of the first appointment "
        "to a leadership role (service level or above) on or after it, among clinicians appointed so."
    )


class RegisteredLikelihoodSerializer(serializers.Serializer):
    ratio = serializers.FloatField(help_text="(registered ÷ eligible) for the group over the same for the reference.")
    low = serializers.FloatField(help_text="95% confidence interval, lower end.")
    high = serializers.FloatField(help_text="95% confidence interval, upper end.")


class EligibleGroupSerializer(serializers.Serializer):
    group = serializers.CharField(allow_blank=True, help_text="The answer's code; empty for not answered.")
    label = serializers.CharField()
    eligible = serializers.IntegerField(help_text="People on the register in this group (public figures, as given).")
    eligible_share = serializers.FloatField(allow_null=True, help_text="Per cent of the eligible population.")
    registered = serializers.CharField(
        help_text='Clinicians registered with the service in this group: a number rounded to 5, or "*" (1 to 7, or '
        "hidden so a total cannot give one away)."
    )
    registered_share = serializers.FloatField(
        allow_null=True, help_text="Per cent of those registered, from the rounded counts; null when hidden."
    )
    reference = serializers.BooleanField(help_text="The group the others are compared with.")
    likelihood = RegisteredLikelihoodSerializer(
        allow_null=True,
        help_text="Relative likelihood of being registered compared with the reference group, from the rounded "
        "counts; null for the reference group and where a count is hidden or zero.",
    )


class EligibleAttributeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    reference = serializers.CharField(help_text="Code of the reference group.")
    reference_label = serializers.CharField()
    eligible_total = serializers.IntegerField()
    registered_total = serializers.CharField()
    rows = EligibleGroupSerializer(many=True)


class EligiblePopulationSerializer(serializers.Serializer):
    comparable = serializers.BooleanField(
        help_text="False when there is nothing to compare: a training body's view, filters other than region and "
        "profession, no profession chosen, or no upload covering the view (`message` says which)."
    )
    message = serializers.CharField(allow_blank=True)
    area = serializers.CharField(allow_null=True, help_text='The region compared, or "England".')
    profession = serializers.CharField(allow_null=True)
    profession_label = serializers.CharField(allow_null=True)
    source = serializers.CharField(allow_null=True, help_text="Where the register counts come from, in words.")
    as_of = serializers.DateField(allow_null=True, help_text="The date the register counts describe.")
    as_of_label = serializers.CharField(allow_null=True, help_text='The same date in words, e.g. "31 March 2026".')
    uploaded_at = serializers.DateTimeField(allow_null=True)
    attributes = EligibleAttributeSerializer(many=True)
    not_covered = serializers.ListField(
        child=serializers.CharField(), help_text="Equality attributes the register counts loaded do not include."
    )


class PipelineSummarySerializer(serializers.Serializer):
    scope = serializers.CharField(
        help_text="What the figures cover, in words: your scope and each filter applied, e.g. "
        '"North West; doctors; joined January 2025 to June 2026".'
    )
    version = serializers.IntegerField(allow_null=True, help_text="The roll-up version the figures come from.")
    as_of = serializers.DateTimeField(allow_null=True, help_text="When the figures were computed.")
    rules = serializers.IntegerField(help_text="The version of the small-number rule the backgrounds follow.")
    funnel = StageSerializer(many=True)
    trends = TrendsSerializer()
    breakdowns = BreakdownsSerializer()
    backgrounds = BackgroundSerializer(many=True)
    licence_at_risk = LicenceAtRiskSerializer(
        help_text="Licence at risk among clinicians in leadership roles (plain counts, non-consenting included)."
    )
    representation = RepresentationSerializer(
        help_text="Per equality question, how likely each group was to reach each stage from the one before, "
        "compared with a reference group (NHS WRES relative likelihood), with 95% confidence intervals; no counts."
    )
    outcomes = OutcomesSerializer(help_text="What became of clinicians after approval: time to appointment.")
    eligible_population = EligiblePopulationSerializer(
        help_text="The clinicians registered with the service against the eligible population from register "
        "counts, for the view's profession and region (England when none)."
    )


FILTER_PARAMETERS = [
    OpenApiParameter("region", str, description="Region slug, e.g. `london` (regional staff: their own only)."),
    OpenApiParameter("profession", str, description="Profession code, e.g. `nurse`."),
    OpenApiParameter("career_stage", str, description="Career stage code, e.g. `specialty_training`."),
    OpenApiParameter("specialty", str, description="Specialty or field, any case."),
    OpenApiParameter("training_body", str, description="Training-body slug (training-body admins: their own)."),
    OpenApiParameter("early_career", bool, description="`true` for early-career clinicians only."),
    OpenApiParameter(
        "joined_from",
        str,
        description="Joined the service in this month or later, as `YYYY-MM` (e.g. `2025-01`); a whole date "
        "`YYYY-MM-DD` means its month. Figures are counted by month.",
    ),
    OpenApiParameter(
        "joined_to",
        str,
        description="Joined the service in this month or earlier, as `YYYY-MM` (e.g. `2026-06`); a whole date "
        "`YYYY-MM-DD` means its month.",
    ),
]


@extend_schema(
    parameters=FILTER_PARAMETERS,
    responses={
        200: PipelineSummarySerializer,
        400: OpenApiResponse(OpenApiTypes.OBJECT, description="A filter is not valid: field name to messages."),
        401: OpenApiResponse(OpenApiTypes.OBJECT, description='Not signed in: `{"detail": ...}`.'),
        403: OpenApiResponse(
            OpenApiTypes.OBJECT, description='Your role may not use this endpoint: `{"detail": ...}`.'
        ),
    },
)
class ShowSummaryView(APIView):
    """The talent pipeline's figures within your scope (regional HEE staff: your region; training-body admins: your
    bodies), filtered like the dashboard. Anonymous aggregates only."""

    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.VIEW_PIPELINE,)
    permission_denied_message = "The talent pipeline is only for HEE staff and training-body admins."

    # After authentication and the permission check (on the primary): a token just issued may not be on the replica.
    @reading_from_replica()
    def get(self, request, *args, **kwargs):
        form = PipelineFilterForm(request.query_params or None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        filters = form.filters()
        summary = selectors.pipeline_summary_cached(request.user, filters, pipeline_fresh_run())
        scope = selectors.pipeline_scope_description(user=request.user, filters=filters)
        # Not stored with the roll-ups: it changes with each upload of register counts, not with each refresh.
        summary = {**summary, "eligible_population": eligible_population_comparison(user=request.user, filters=filters)}
        # The summary is plain data already in this shape (cached per version of the scope's figures); the serializers
        # above document it for the schema, and copying it through them would cost more than computing the page.
        return Response({"scope": scope, **summary})
