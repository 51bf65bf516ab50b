"""API for follow-ups of nudges (DESIGN.md section 6): `follow-ups/` (the items of the training bodies you
administer; `state` open, overdue or closed), `follow-ups/{id}/`, and `follow-ups/{id}/close/`.

Reads go through talent.selectors (another body's item: 404); closing through talent.services.followups. An item
is closed once: closing it again answers 409 with how it was closed."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.api import CONFLICT, ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from talent import selectors
from talent.models import ADMIN_OUTCOMES, FollowUp, FollowUpOutcome, NoActionReason, Signpost
from talent.selectors.followups import STATES
from talent.services import followups as service


class FollowUpOutcomeField(NamedEnumField):
    enum_name = "FollowUpOutcome"
    enum_choices = FollowUpOutcome.choices


class NoActionReasonField(NamedEnumField):
    enum_name = "NoActionReason"
    enum_choices = NoActionReason.choices


class SignpostSerializer(serializers.ModelSerializer):
    opportunity = serializers.UUIDField(source="opportunity_id", read_only=True, allow_null=True)
    opportunity_title = serializers.CharField(source="opportunity.title", read_only=True, allow_null=True)
    pathway = serializers.IntegerField(source="pathway_id", read_only=True, allow_null=True)
    pathway_title = serializers.CharField(source="pathway.title", read_only=True, allow_null=True)

    class Meta:
        model = Signpost
        fields = ["opportunity", "opportunity_title", "pathway", "pathway_title", "created_at"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    clinician = serializers.UUIDField(source="profile_id", read_only=True, help_text="The clinician's profile id.")
    clinician_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    nudge = serializers.UUIDField(source="nudge_id", read_only=True, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.full_name", read_only=True, allow_null=True)
    outcome = FollowUpOutcomeField(read_only=True, allow_blank=True, help_text="Empty while open.")
    no_action_reason = NoActionReasonField(read_only=True, allow_blank=True)
    conversation = serializers.UUIDField(source="conversation_id", read_only=True, allow_null=True)
    nomination = serializers.UUIDField(source="nomination_id", read_only=True, allow_null=True)
    signposts = SignpostSerializer(many=True, read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id",
            "clinician",
            "clinician_name",
            "training_body",
            "nudge",
            "opened_at",
            "due_on",
            "closed_at",
            "closed_by",
            "outcome",
            "no_action_reason",
            "note",
            "conversation",
            "nomination",
            "signposts",
        ]
        read_only_fields = fields


class CloseFollowUpSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[(value, FollowUpOutcome(value).label) for value in ADMIN_OUTCOMES],
        help_text="conversation and nominated need one recorded first (since the item opened, for a nomination).",
    )
    opportunities = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=service.SIGNPOSTS_MAX,
        help_text="signposted: ids of published opportunities open for applications today.",
    )
    pathways = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        max_length=service.SIGNPOSTS_MAX,
        help_text="signposted: ids of published pathways.",
    )
    reason = serializers.ChoiceField(choices=NoActionReason.choices, required=False, allow_blank=True, default="")
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=service.NOTE_MAX_LENGTH,
        help_text="no_action: required when the reason is other. signposted: shown to the clinician.",
    )


class ScopedFollowUpsMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.FOLLOW_UP_NUDGES,)
    permission_denied_message = "Only training-body admins follow up nudges."
    filter_backends: list = []

    def visible(self):
        if getattr(self, "swagger_fake_view", False):
            return FollowUp.objects.none()
        return selectors.follow_ups_visible_to(self.request.user).prefetch_related(
            "signposts__opportunity", "signposts__pathway"
        )


@extend_schema(
    parameters=[OpenApiParameter("state", str, enum=list(STATES), description="Only items open, overdue or closed.")],
    responses={200: FollowUpSerializer(many=True), **ERROR_RESPONSES},
)
class ListFollowUpsView(ScopedFollowUpsMixin, generics.ListAPIView):
    """Follow-ups of the training bodies you administer, earliest due first (closed ones: last closed first)."""

    serializer_class = FollowUpSerializer

    def get_queryset(self):
        state = self.request.query_params.get("state") or None
        if state is not None and state not in STATES:
            raise exceptions.ValidationError({"state": [f"Choose one of: {', '.join(STATES)}."]})
        follow_ups = self.visible().order_by("due_on", "opened_at", "pk")
        return selectors.follow_ups_in_state(follow_ups, state)


FOLLOW_UP_ID = OpenApiParameter("follow_up_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[FOLLOW_UP_ID], responses={200: FollowUpSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowFollowUpView(ScopedFollowUpsMixin, generics.RetrieveAPIView):
    serializer_class = FollowUpSerializer
    lookup_url_kwarg = "follow_up_id"

    def get_queryset(self):
        return self.visible()


@extend_schema(
    summary="Close a follow-up once: conversation, nominated, signposted (with opportunities or pathways), or "
    "no_action with a reason.",
    parameters=[FOLLOW_UP_ID],
    request=CloseFollowUpSerializer,
    responses={200: FollowUpSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
)
class CloseFollowUpView(ScopedFollowUpsMixin, APIView):
    def post(self, request, follow_up_id):
        follow_up = selectors.follow_up_for(request.user, follow_up_id)
        serializer = CloseFollowUpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service.follow_up_close(
            user=request.user,
            follow_up=follow_up,
            outcome=data["outcome"],
            opportunity_ids=data["opportunities"],
            pathway_ids=data["pathways"],
            reason=data["reason"],
            note=data["note"],
        )
        return Response(FollowUpSerializer(self.visible().get(pk=follow_up.pk)).data)
