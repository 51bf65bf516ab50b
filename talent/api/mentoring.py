"""API for mentoring: `mentoring/offers/` (GET: the offers that fit you best, with the reasons; POST: make or change
your own offer), `mentoring/requests/` (yours, made or received; POST asks a mentor), `mentoring/requests/{id}/`
and its actions `accept/`, `decline/`, `withdraw/`, `end/`. Clinicians only; a request is seen by its two people
only (404 for anyone else); email addresses only once accepted."""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Region
from accounts.permissions import HasRequiredPermission, Permission
from config.api import CONFLICT, ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from pathways.api import DimensionField, ProfessionField
from pathways.models import LeadershipRole
from talent import selectors
from talent.models import MENTORING_CAPACITY_MAX, MentoringOffer, MentoringRequest, MentoringStatus
from talent.models.mentoring import OFFER_ABOUT_MAX_LENGTH, REQUEST_MESSAGE_MAX_LENGTH, REQUEST_REPLY_MAX_LENGTH
from talent.services import mentoring as service


class MentoringStatusField(NamedEnumField):
    enum_name = "MentoringStatus"
    enum_choices = MentoringStatus.choices


class SuggestionSerializer(serializers.Serializer):
    offer = serializers.UUIDField(source="offer.pk", help_text="Ask with POST mentoring/requests/ and this id.")
    mentor_name = serializers.CharField(source="offer.mentor.user.full_name")
    about = serializers.CharField(source="offer.about")
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why this mentor fits you, in words.")
    score = serializers.IntegerField(help_text="Higher fits better; the list is in this order.")


class OfferSerializer(serializers.ModelSerializer):
    capacity = serializers.IntegerField(min_value=1, max_value=MENTORING_CAPACITY_MAX)
    professions = serializers.ListField(child=ProfessionField(), required=False, max_length=50)
    dimensions = serializers.ListField(child=DimensionField(), required=False, max_length=20)
    regions = serializers.SlugRelatedField(
        slug_field="slug", queryset=Region.objects.all(), many=True, required=False, help_text="Empty: any region."
    )
    target_roles = serializers.SlugRelatedField(
        slug_field="slug", queryset=LeadershipRole.objects.all(), many=True, required=False
    )
    about = serializers.CharField(max_length=OFFER_ABOUT_MAX_LENGTH, required=False, allow_blank=True)
    is_open = serializers.BooleanField(required=False, default=True)

    class Meta:
        model = MentoringOffer
        fields = [
            "id",
            "capacity",
            "mentee_count",
            "professions",
            "regions",
            "dimensions",
            "target_roles",
            "about",
            "is_open",
        ]
        read_only_fields = ["id", "mentee_count"]


class MentoringRequestSerializer(serializers.ModelSerializer):
    status = MentoringStatusField(read_only=True)
    mentor_name = serializers.CharField(source="mentor.user.full_name", read_only=True)
    mentee_name = serializers.CharField(source="mentee.user.full_name", read_only=True)
    mentor_email = serializers.SerializerMethodField(help_text="Shown once the mentor has accepted.")
    mentee_email = serializers.SerializerMethodField(help_text="Shown once the mentor has accepted.")

    class Meta:
        model = MentoringRequest
        fields = [
            "id",
            "offer",
            "status",
            "mentor_name",
            "mentee_name",
            "mentor_email",
            "mentee_email",
            "message",
            "reply",
            "created_at",
            "responded_at",
            "ended_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_mentor_email(self, request: MentoringRequest) -> str | None:
        return request.mentor.user.email if request.status == MentoringStatus.ACCEPTED else None

    @extend_schema_field(OpenApiTypes.EMAIL)
    def get_mentee_email(self, request: MentoringRequest) -> str | None:
        return request.mentee.user.email if request.status == MentoringStatus.ACCEPTED else None


class RequestCreateSerializer(serializers.Serializer):
    offer = serializers.UUIDField(help_text="The id of a mentoring offer (from GET mentoring/offers/).")
    message = serializers.CharField(max_length=REQUEST_MESSAGE_MAX_LENGTH)


class ReplySerializer(serializers.Serializer):
    reply = serializers.CharField(max_length=REQUEST_REPLY_MAX_LENGTH, required=False, allow_blank=True)


class MentoringMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.USE_MENTORING,)
    permission_denied_message = "Only clinicians use mentoring."

    def own_profile(self):
        profile = selectors.profile_of(self.request.user)
        if profile is None:
            raise NotFound("You have no clinician profile yet. Create it first with POST /api/v1/me/profile/.")
        return profile


class ListMentoringOffersView(MentoringMixin, generics.ListAPIView):
    """GET: up to five offers that fit you best (profession, region, target roles, the dimensions you rated lowest),
    with the reasons. POST: make or change your own offer (a current leadership role at service level or above)."""

    serializer_class = SuggestionSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return []
        return selectors.mentor_suggestions(self.own_profile())

    @extend_schema(responses={200: SuggestionSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=OfferSerializer, responses={200: OfferSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def post(self, request):
        profile = self.own_profile()
        serializer = OfferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        offer = service.mentoring_offer_save(
            profile=profile,
            capacity=data["capacity"],
            professions=data.get("professions", []),
            regions=data.get("regions", []),
            dimensions=data.get("dimensions", []),
            target_roles=data.get("target_roles", []),
            about=data.get("about", ""),
            is_open=data.get("is_open", True),
        )
        return Response(OfferSerializer(selectors.own_offer(offer.mentor)).data)


class ListMentoringRequestsView(MentoringMixin, generics.ListAPIView):
    """Requests you made (as mentee) and received (as mentor), newest first. POST asks a mentor: 400 for your own
    offer or a message too long; 409 when they are full or you already have an open request with them."""

    serializer_class = MentoringRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return MentoringRequest.objects.none()
        return selectors.mentoring_requests_of(self.request.user)

    @extend_schema(responses={200: MentoringRequestSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=RequestCreateSerializer,
        responses={201: MentoringRequestSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
    )
    def post(self, request):
        profile = self.own_profile()
        serializer = RequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            offer = selectors.offer_to_ask(profile, serializer.validated_data["offer"])
        except Http404 as error:  # an unknown offer is a field of the request, not the endpoint
            raise exceptions.ValidationError({"offer": ["No open mentoring offer has this id."]}) from error
        mentoring = service.mentoring_request_make(
            mentee=profile, offer=offer, message=serializer.validated_data["message"]
        )
        mentoring = selectors.mentoring_request_for(request.user, mentoring.pk)
        return Response(MentoringRequestSerializer(mentoring).data, status=status.HTTP_201_CREATED)


REQUEST_ID = OpenApiParameter("request_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[REQUEST_ID], responses={200: MentoringRequestSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowMentoringRequestView(MentoringMixin, APIView):
    """One request you made or received."""

    def get(self, request, request_id):
        return Response(MentoringRequestSerializer(selectors.mentoring_request_for(request.user, request_id)).data)


class MentoringActionView(MentoringMixin, APIView):
    action_name = ""

    def post(self, request, request_id):
        mentoring = selectors.mentoring_request_for(request.user, request_id)
        if not service.parties_of(request.user, mentoring) & service.PARTIES_FOR_ACTION[self.action_name]:
            raise exceptions.PermissionDenied("You cannot do this to this mentoring request.")
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service.mentoring_request_act(
            user=request.user,
            request=mentoring,
            action=self.action_name,
            reply=serializer.validated_data.get("reply", ""),
        )
        return Response(MentoringRequestSerializer(selectors.mentoring_request_for(request.user, request_id)).data)


def _action_schema(summary: str):
    return extend_schema(
        summary=summary,
        parameters=[REQUEST_ID],
        request=ReplySerializer,
        responses={200: MentoringRequestSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
    )


@_action_schema("The mentor accepts (pending → accepted); 409 when their offer is full.")
class AcceptMentoringRequestView(MentoringActionView):
    action_name = service.ACCEPT

    def post(self, request, request_id):
        return super().post(request, request_id)


@_action_schema("The mentor declines (pending → declined).")
class DeclineMentoringRequestView(MentoringActionView):
    action_name = service.DECLINE

    def post(self, request, request_id):
        return super().post(request, request_id)


@_action_schema("The mentee withdraws a request not yet answered (pending → withdrawn).")
class WithdrawMentoringRequestView(MentoringActionView):
    action_name = service.WITHDRAW

    def post(self, request, request_id):
        return super().post(request, request_id)


@_action_schema("Either of the two ends the mentoring (accepted → ended).")
class EndMentoringView(MentoringActionView):
    action_name = service.END

    def post(self, request, request_id):
        return super().post(request, request_id)
