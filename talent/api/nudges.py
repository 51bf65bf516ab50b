"""API for nudges (DESIGN.md section 6): the nudges of the training bodies you administer, and one nudge's
contents. Reads go through talent.selectors.nudges; a clinician who no longer shares their record with the body is
counted in `left_out`, never named."""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.permissions import HasRequiredPermission, Permission
from config.api import ERROR_RESPONSES, NOT_FOUND
from talent import selectors
from talent.models import Nudge, NudgeEntry


class NudgeTrainingBodySerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class NudgeSerializer(serializers.ModelSerializer):
    training_body = NudgeTrainingBodySerializer(read_only=True)
    clinician_count = serializers.IntegerField(read_only=True, help_text="Clinicians listed when it was built.")

    class Meta:
        model = Nudge
        fields = ["id", "training_body", "frequency", "period_start", "period_end", "created_at", "clinician_count"]
        read_only_fields = fields


class NudgeSignalSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="interest_raised, self_assessment_completed or pathway_saved.")
    at = serializers.DateTimeField()


class NudgeOpportunitySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    title = serializers.CharField()
    slug = serializers.CharField()


class NudgeEntrySerializer(serializers.ModelSerializer):
    profile_id = serializers.UUIDField(source="profile.pk", read_only=True)
    name = serializers.CharField(source="profile.user.full_name", read_only=True)
    profession = serializers.CharField(source="profile.profession", read_only=True)
    career_stage = serializers.CharField(source="profile.career_stage", read_only=True)
    career_stage_label = serializers.CharField(source="profile.career_stage_label", read_only=True)
    what_they_did = serializers.ListField(child=serializers.CharField(), read_only=True)
    signals = NudgeSignalSerializer(many=True, read_only=True)
    opportunities = NudgeOpportunitySerializer(many=True, read_only=True)

    class Meta:
        model = NudgeEntry
        fields = [
            "profile_id",
            "name",
            "profession",
            "career_stage",
            "career_stage_label",
            "what_they_did",
            "signals",
            "opportunities",
        ]


class NudgeDetailSerializer(NudgeSerializer):
    clinicians = NudgeEntrySerializer(many=True, read_only=True, source="visible_entries")
    left_out = serializers.SerializerMethodField(help_text="Clinicians in the nudge who no longer share their record.")

    class Meta(NudgeSerializer.Meta):
        fields = [*NudgeSerializer.Meta.fields, "clinicians", "left_out"]
        read_only_fields = fields

    def get_left_out(self, nudge: Nudge) -> int:
        return nudge.clinician_count - len(nudge.visible_entries)


class NudgeScopeMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.VIEW_NUDGES,)
    permission_denied_message = "Only training-body admins can see nudges."

    def visible(self) -> QuerySet[Nudge]:
        if getattr(self, "swagger_fake_view", False):
            return Nudge.objects.none()
        return selectors.nudges_visible_to(self.request.user)


@extend_schema(responses={200: NudgeSerializer(many=True), **ERROR_RESPONSES})
class ListNudgesView(NudgeScopeMixin, generics.ListAPIView):
    """Nudges of the training bodies you administer, newest first."""

    serializer_class = NudgeSerializer
    filter_backends: list = []

    def get_queryset(self):
        return self.visible()


@extend_schema(
    parameters=[OpenApiParameter("nudge_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    responses={200: NudgeDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class ShowNudgeView(NudgeScopeMixin, generics.RetrieveAPIView):
    """One nudge: the clinicians who still share their record with the body, what they did in the period and the
    open opportunities they were eligible for, and how many are left out."""

    serializer_class = NudgeDetailSerializer
    filter_backends: list = []

    def retrieve(self, request, *args, **kwargs):
        contents = selectors.nudge_for(request.user, kwargs["nudge_id"])
        return Response(self.get_serializer(contents.nudge).data)
