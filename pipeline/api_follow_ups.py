"""API: `pipeline/follow-ups/` (follow-up rates of nudges per region and per training body, and per month, the trend
narrowed by `region=<slug>`) and `pipeline/follow-ups/{slug}/` (one body's figures, trend and overdue items by
age), within the caller's pipeline scope. Counts only, each already suppressed ("*" or a rounded number, as
strings); a body outside the scope is a 404."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.db import reading_from_replica
from pipeline.forms import FollowUpTrendForm
from pipeline.selectors.follow_ups import (
    BY_REGION,
    BY_TRAINING_BODY,
    COLUMNS,
    TREND_COLUMNS,
    body_follow_ups,
    follow_up_body_for,
    follow_up_rates_table,
    follow_up_trend_table,
)

CELL_HELP = '"*" (1 to 7, or hidden so another count cannot be worked out), a count rounded to 5, or "" (none).'


def _cells_serializer(name: str, columns: list[tuple[str, str]]) -> type[serializers.Serializer]:
    fields = {column: serializers.CharField(help_text=f"{label}: {CELL_HELP}") for column, label in columns}
    return type(name, (serializers.Serializer,), fields)


RateCellsSerializer = _cells_serializer("FollowUpRateCellsSerializer", COLUMNS)
TrendCellsSerializer = _cells_serializer("FollowUpTrendCellsSerializer", TREND_COLUMNS)


class RateRowSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="The region's or training body's slug.")
    label = serializers.CharField()
    cells = RateCellsSerializer()


class TrendRowSerializer(serializers.Serializer):
    month = serializers.DateField(source="key", help_text="The first day of the month the items were opened.")
    label = serializers.CharField()
    cells = TrendCellsSerializer()


class FollowUpRatesSerializer(serializers.Serializer):
    by_region = RateRowSerializer(many=True)
    by_training_body = RateRowSerializer(many=True)
    trend = TrendRowSerializer(many=True, help_text="The last 12 months, oldest first.")


class OverdueAgeSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.CharField(help_text=CELL_HELP)


class BodyFollowUpsSerializer(serializers.Serializer):
    training_body = serializers.CharField(source="training_body.slug")
    name = serializers.CharField(source="training_body.name")
    region = serializers.CharField(source="training_body.region.name")
    figures = RateCellsSerializer(source="cells", help_text="The body's row of the rates.")
    trend = TrendRowSerializer(many=True, help_text="The last 12 months, oldest first.")
    overdue_by_age = OverdueAgeSerializer(many=True)
    overdue = serializers.CharField(help_text=CELL_HELP)


class FollowUpRatesPermission:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.VIEW_PIPELINE,)
    permission_denied_message = "The talent pipeline is only for HEE staff and training-body admins."


class ShowFollowUpRatesView(FollowUpRatesPermission, APIView):
    """How training bodies follow up their nudges within your scope: per region, per training body and per month."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "region", OpenApiTypes.STR, description="Narrow the trend to a region within your scope (its slug)."
            )
        ],
        responses={200: FollowUpRatesSerializer},
        operation_id="pipeline_follow_up_rates",
    )
    @reading_from_replica()
    def get(self, request, *args, **kwargs):
        form = FollowUpTrendForm(request.query_params if "region" in request.query_params else None, user=request.user)
        if form.is_bound and not form.is_valid():
            raise ValidationError({field: list(messages) for field, messages in form.errors.items()})
        data = {
            "by_region": follow_up_rates_table(user=request.user, by=BY_REGION),
            "by_training_body": follow_up_rates_table(user=request.user, by=BY_TRAINING_BODY),
            "trend": follow_up_trend_table(user=request.user, region=form.chosen_region()),
        }
        return Response(FollowUpRatesSerializer(data).data)


class ShowBodyFollowUpsView(FollowUpRatesPermission, APIView):
    """One training body's follow-up figures, its trend per month and its overdue items by age."""

    @extend_schema(responses={200: BodyFollowUpsSerializer}, operation_id="pipeline_body_follow_ups")
    def get(self, request, slug: str, *args, **kwargs):
        # Whether the body is in the caller's scope is decided on the primary, as the permission is.
        body = follow_up_body_for(user=request.user, slug=slug)
        with reading_from_replica():
            return Response(BodyFollowUpsSerializer(body_follow_ups(user=request.user, training_body=body)).data)
