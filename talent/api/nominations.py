"""API for nominations (DESIGN.md section 6): `nominations/` (scoped list; a clinician applies, a training-body admin
nominates), `nominations/{id}/`, the actions `accept/`, `decline/`, `withdraw/`, `approve/`, `reject/`, and
`outcome/` (what became of an approved nomination).

Reads go through talent.selectors.nominations_visible_to (outside it: 404); every change through
talent.services.nominations. An action the nomination's state no longer allows answers 409 with the current state.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission, user_can
from config.api import ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from pathways.models import Opportunity
from pathways.selectors import opportunities_visible_to
from talent import selectors
from talent.models import Nomination, NominationOutcome, NominationRoute, NominationState
from talent.services import nominations as service


class NominationStateField(NamedEnumField):
    enum_name = "NominationState"
    enum_choices = NominationState.choices


class NominationOutcomeField(NamedEnumField):
    enum_name = "NominationOutcome"
    enum_choices = NominationOutcome.choices


class NominationRouteField(NamedEnumField):
    enum_name = "NominationRoute"
    enum_choices = NominationRoute.choices


NOMINATION_CONFLICT = {
    409: OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='The nomination\'s state does not allow this now: `{"detail": ..., "state": <current state>}`.',
    )
}


class OutcomeSerializer(serializers.Serializer):
    """What became of an approved nomination, as its training body recorded it (the API's input and output)."""

    outcome = NominationOutcomeField()
    date = serializers.DateField(source="outcome_on", help_text="The day it was completed, left or turned down.")
    note = serializers.CharField(
        source="outcome_note", max_length=service.REASON_MAX_LENGTH, required=False, allow_blank=True
    )
    recorded_by = serializers.CharField(source="outcome_recorded_by.full_name", read_only=True, allow_null=True)
    recorded_at = serializers.DateTimeField(source="outcome_recorded_at", read_only=True)


class NominationSerializer(serializers.ModelSerializer):
    clinician = serializers.UUIDField(source="profile_id", read_only=True, help_text="The clinician's profile id.")
    clinician_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    opportunity = serializers.UUIDField(source="opportunity_id", read_only=True)
    opportunity_title = serializers.CharField(source="opportunity.title", read_only=True)
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    route = NominationRouteField(read_only=True)
    state = NominationStateField(read_only=True)
    nominated_by = serializers.CharField(source="nominated_by.full_name", read_only=True, allow_null=True)
    decided_by = serializers.CharField(source="decided_by.full_name", read_only=True, allow_null=True)
    withdrawn_by = serializers.CharField(source="withdrawn_by.full_name", read_only=True, allow_null=True)
    outcome = serializers.SerializerMethodField(help_text="What became of it once approved; null until recorded.")

    class Meta:
        model = Nomination
        fields = [
            "id",
            "clinician",
            "clinician_name",
            "opportunity",
            "opportunity_title",
            "training_body",
            "route",
            "state",
            "supporting_statement",
            "nominated_by",
            "created_at",
            "submitted_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "withdrawn_by",
            "withdrawn_at",
            "outcome",
        ]
        read_only_fields = fields

    @extend_schema_field(OutcomeSerializer(allow_null=True))
    def get_outcome(self, nomination: Nomination) -> dict | None:
        return OutcomeSerializer(nomination).data if nomination.outcome else None


class NominationCreateSerializer(serializers.Serializer):
    opportunity = serializers.UUIDField(help_text="The opportunity's id.")
    supporting_statement = serializers.CharField(max_length=service.STATEMENT_MAX_LENGTH)
    clinician = serializers.UUIDField(
        required=False,
        help_text="Training-body admins only: the profile id of the consenting clinician of your body to nominate.",
    )


class ApproveSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=service.REASON_MAX_LENGTH, required=False, allow_blank=True)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=service.REASON_MAX_LENGTH, help_text="Required: the clinician is told why."
    )


class NominationStateOnConflict:
    """A 409 (config.api.exception_handler) also gives the nomination's current state, so the caller can show it."""

    nomination: Nomination | None = None

    def domain_conflict_details(self) -> dict:
        state = None
        if self.nomination is not None:
            state = Nomination.objects.filter(pk=self.nomination.pk).values_list("state", flat=True).first()
        return {"state": state}


class ScopedNominationsMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.FOLLOW_OWN_NOMINATIONS, Permission.DECIDE_NOMINATION)
    permission_denied_message = "Only clinicians and training-body admins can use nominations."

    def visible(self) -> QuerySet[Nomination]:
        if getattr(self, "swagger_fake_view", False):
            return Nomination.objects.none()
        return selectors.nominations_visible_to(self.request.user).order_by("-created_at", "pk")


@extend_schema(
    parameters=[
        OpenApiParameter("state", str, enum=NominationState.values, description="Only nominations in this state."),
        OpenApiParameter("opportunity", OpenApiTypes.UUID, description="Only nominations for this opportunity."),
    ]
)
class ListNominationsView(NominationStateOnConflict, ScopedNominationsMixin, generics.ListAPIView):
    """Nominations you may see (clinicians: your own; training-body admins: those your bodies decide), newest first.

    POST: a clinician applies (`opportunity`, `supporting_statement`); a training-body admin nominates (also
    `clinician`). Applications go straight to the training body; nominations wait for the clinician to accept.
    """

    serializer_class = NominationSerializer
    filter_backends: list = []

    def get_queryset(self):
        nominations = self.visible()
        state = self.request.query_params.get("state")
        if state:
            if state not in NominationState.values:
                raise exceptions.ValidationError({"state": [f"Choose one of: {', '.join(NominationState.values)}."]})
            nominations = nominations.filter(state=state)
        opportunity = self.request.query_params.get("opportunity")
        if opportunity:
            try:
                nominations = nominations.filter(opportunity_id=serializers.UUIDField().to_internal_value(opportunity))
            except serializers.ValidationError as error:
                raise exceptions.ValidationError({"opportunity": error.detail}) from error
        return nominations

    @extend_schema(responses={200: NominationSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=NominationCreateSerializer,
        responses={201: NominationSerializer, **ERROR_RESPONSES},
    )
    def post(self, request, *args, **kwargs):
        serializer = NominationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        opportunity = self._opportunity(data["opportunity"])
        if user_can(request.user, Permission.APPLY_FOR_OPPORTUNITY):
            if "clinician" in data:
                raise exceptions.ValidationError({"clinician": ["Clinicians apply for themselves: leave this out."]})
            nomination = service.nomination_apply(
                user=request.user, opportunity=opportunity, supporting_statement=data["supporting_statement"]
            )
        else:
            if "clinician" not in data:
                raise exceptions.ValidationError({"clinician": ["Name the clinician to nominate."]})
            profile = selectors.clinicians_visible_to(request.user).filter(pk=data["clinician"]).first()
            if profile is None:
                raise exceptions.ValidationError(
                    {"clinician": ["No clinician of your training body who shares their profile has this id."]}
                )
            nomination = service.nomination_nominate(
                user=request.user,
                profile=profile,
                opportunity=opportunity,
                supporting_statement=data["supporting_statement"],
            )
        nomination = selectors.nomination_for(request.user, nomination.pk)
        return Response(NominationSerializer(nomination).data, status=status.HTTP_201_CREATED)

    def _opportunity(self, opportunity_id) -> Opportunity:
        opportunity = opportunities_visible_to(self.request.user).filter(pk=opportunity_id).first()
        if opportunity is None:
            raise exceptions.ValidationError({"opportunity": ["No published opportunity has this id."]})
        return opportunity


NOMINATION_ID = OpenApiParameter("nomination_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[NOMINATION_ID], responses={200: NominationSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowNominationView(ScopedNominationsMixin, generics.RetrieveAPIView):
    """One nomination you may see."""

    serializer_class = NominationSerializer
    lookup_url_kwarg = "nomination_id"
    filter_backends: list = []

    def get_queryset(self):
        return self.visible()


class NominationActionView(NominationStateOnConflict, ScopedNominationsMixin, APIView):
    """Base for the actions: find the nomination in the caller's scope (404 otherwise), then ask the service."""

    action_name = ""
    input_serializer: type[serializers.Serializer] | None = None

    def post(self, request, nomination_id):
        self.nomination = selectors.nomination_for(request.user, nomination_id)
        if not service.may_ever(request.user, self.nomination, self.action_name):
            raise exceptions.PermissionDenied("You cannot do this to this nomination.")
        values = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            values = serializer.validated_data
        service.nomination_act(
            user=request.user,
            nomination=self.nomination,
            action=self.action_name,
            reason=values.get("reason", ""),
            note=values.get("note", ""),
        )
        return Response(NominationSerializer(selectors.nomination_for(request.user, nomination_id)).data)


def _action_schema(summary: str, request=None):
    return extend_schema(
        summary=summary,
        parameters=[NOMINATION_ID],
        request=request,
        responses={200: NominationSerializer, **ERROR_RESPONSES, **NOT_FOUND, **NOMINATION_CONFLICT},
    )


@_action_schema("The nominee accepts a nomination made for them (pending_nominee → submitted).")
class AcceptNominationView(NominationActionView):
    action_name = service.ACCEPT

    def post(self, request, nomination_id):
        return super().post(request, nomination_id)


@_action_schema("The nominee declines a nomination made for them (pending_nominee → withdrawn).")
class DeclineNominationView(NominationActionView):
    action_name = service.DECLINE

    def post(self, request, nomination_id):
        return super().post(request, nomination_id)


@_action_schema(
    "The nominee withdraws before a decision (or the body's admin withdraws a nomination not yet accepted)."
)
class WithdrawNominationView(NominationActionView):
    action_name = service.WITHDRAW

    def post(self, request, nomination_id):
        return super().post(request, nomination_id)


@_action_schema("An admin of the deciding training body approves (submitted → approved).", ApproveSerializer)
class ApproveNominationView(NominationActionView):
    action_name = service.APPROVE
    input_serializer = ApproveSerializer

    def post(self, request, nomination_id):
        return super().post(request, nomination_id)


@_action_schema(
    "An admin of the deciding training body rejects with a reason (submitted → rejected).", RejectSerializer
)
class RejectNominationView(NominationActionView):
    action_name = service.REJECT
    input_serializer = RejectSerializer

    def post(self, request, nomination_id):
        return super().post(request, nomination_id)


@extend_schema(
    summary="An admin of the deciding training body records what became of an approved nomination, or corrects it.",
    parameters=[NOMINATION_ID],
    request=OutcomeSerializer,
    responses={200: NominationSerializer, **ERROR_RESPONSES, **NOT_FOUND, **NOMINATION_CONFLICT},
)
class RecordNominationOutcomeView(NominationStateOnConflict, ScopedNominationsMixin, APIView):
    """Completed, withdrew or did not take up the place, with a date and an optional note. Only approved
    nominations have one (409 otherwise, with the current state); each recording or correction is audited."""

    def post(self, request, nomination_id):
        self.nomination = selectors.nomination_for(request.user, nomination_id)
        if not service.may_record_outcome(request.user, self.nomination):
            raise exceptions.PermissionDenied("You cannot record what became of this nomination.")
        serializer = OutcomeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        values = serializer.validated_data
        service.nomination_outcome_record(
            user=request.user,
            nomination=self.nomination,
            outcome=values["outcome"],
            on=values["outcome_on"],
            note=values.get("outcome_note", ""),
        )
        return Response(NominationSerializer(selectors.nomination_for(request.user, nomination_id)).data)
