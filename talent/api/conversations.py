"""API for career conversations (DESIGN.md section 6): `conversations/` (clinicians: their own; training-body
admins: their bodies' with consenting clinicians, and they record new ones), `conversations/{id}/`,
`conversations/{id}/respond/` (the clinician confirms or disputes, once), and `conversation-requests/` (a clinician
asks their body; admins list the open requests). HEE staff get 403 everywhere here: they see counts only.

Reads go through talent.selectors (outside scope: 404); writes through talent.services.conversations."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission, user_can
from config.api import CONFLICT, ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from talent import selectors
from talent.models import AgreedAction, CareerConversation, ConversationRequest, ConversationResponse
from talent.services import conversations as service

EITHER_PARTY = (Permission.HAVE_CAREER_CONVERSATIONS, Permission.RECORD_CAREER_CONVERSATIONS)


class ConversationResponseField(NamedEnumField):
    enum_name = "ConversationResponse"
    enum_choices = ConversationResponse.choices


class AgreedActionSerializer(serializers.ModelSerializer):
    description = serializers.CharField(max_length=service.ACTION_DESCRIPTION_MAX_LENGTH)
    owner = serializers.CharField(max_length=service.ACTION_OWNER_MAX_LENGTH, help_text="Who does it.")
    due_on = serializers.DateField()

    class Meta:
        model = AgreedAction
        fields = ["description", "owner", "due_on"]


class ConversationSerializer(serializers.ModelSerializer):
    clinician = serializers.UUIDField(source="profile_id", read_only=True, help_text="The clinician's profile id.")
    clinician_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.full_name", read_only=True, allow_null=True)
    actions = AgreedActionSerializer(many=True, read_only=True)
    response = ConversationResponseField(
        read_only=True, allow_blank=True, help_text="Empty until the clinician answers."
    )

    class Meta:
        model = CareerConversation
        fields = [
            "id",
            "clinician",
            "clinician_name",
            "training_body",
            "recorded_by",
            "held_on",
            "participants",
            "aspirations",
            "actions",
            "next_conversation_on",
            "response",
            "clinician_comment",
            "clinician_version",
            "responded_at",
            "created_at",
        ]
        read_only_fields = fields


class ConversationCreateSerializer(serializers.Serializer):
    clinician = serializers.UUIDField(help_text="The profile id of a consenting clinician of your training body.")
    held_on = serializers.DateField(help_text="Today or earlier.")
    participants = serializers.CharField(max_length=service.PARTICIPANTS_MAX_LENGTH)
    aspirations = serializers.CharField(max_length=service.ASPIRATIONS_MAX_LENGTH)
    actions = AgreedActionSerializer(many=True, required=False, default=list)
    next_conversation_on = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="Today or later."
    )

    def validate_actions(self, actions):
        if len(actions) > service.ACTIONS_MAX:
            raise serializers.ValidationError(f"Record {service.ACTIONS_MAX} agreed actions or fewer.")
        return actions


class RespondSerializer(serializers.Serializer):
    response = serializers.ChoiceField(choices=ConversationResponse.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=service.COMMENT_MAX_LENGTH)
    version = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=service.VERSION_MAX_LENGTH,
        help_text="Required when disputing: your account, kept beside the body's.",
    )


class ConversationRequestSerializer(serializers.ModelSerializer):
    clinician = serializers.UUIDField(source="profile_id", read_only=True)
    clinician_name = serializers.CharField(source="profile.user.full_name", read_only=True)
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    message = serializers.CharField(required=False, allow_blank=True, max_length=service.REQUEST_MESSAGE_MAX_LENGTH)

    class Meta:
        model = ConversationRequest
        fields = ["id", "clinician", "clinician_name", "training_body", "message", "created_at", "answered_at"]
        read_only_fields = ["id", "clinician", "clinician_name", "training_body", "created_at", "answered_at"]


class ScopedConversationsMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = EITHER_PARTY
    permission_denied_message = "Only clinicians and training-body admins can use career conversations."
    filter_backends: list = []

    def visible(self):
        if getattr(self, "swagger_fake_view", False):
            return CareerConversation.objects.none()
        return selectors.conversations_visible_to(self.request.user).order_by("-held_on", "-created_at", "pk")


class ListConversationsView(ScopedConversationsMixin, generics.ListAPIView):
    """Conversations you may see, latest first. POST (training-body admins): record one; the clinician's open
    request is answered and their open follow-up closed."""

    serializer_class = ConversationSerializer

    def get_queryset(self):
        return self.visible()

    @extend_schema(responses={200: ConversationSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ConversationCreateSerializer, responses={201: ConversationSerializer, **ERROR_RESPONSES})
    def post(self, request, *args, **kwargs):
        if not user_can(request.user, Permission.RECORD_CAREER_CONVERSATIONS):
            raise exceptions.PermissionDenied("Only training-body admins record career conversations.")
        serializer = ConversationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = selectors.clinicians_visible_to(request.user).filter(pk=data["clinician"]).first()
        if profile is None:
            raise exceptions.ValidationError(
                {"clinician": ["No clinician of your training body who shares their profile has this id."]}
            )
        conversation = service.conversation_record(
            user=request.user,
            profile=profile,
            held_on=data["held_on"],
            participants=data["participants"],
            aspirations=data["aspirations"],
            actions=[service.ActionInput(**action) for action in data["actions"]],
            next_conversation_on=data["next_conversation_on"],
        )
        conversation = selectors.conversation_for(request.user, conversation.pk)
        return Response(ConversationSerializer(conversation).data, status=status.HTTP_201_CREATED)


CONVERSATION_ID = OpenApiParameter("conversation_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[CONVERSATION_ID], responses={200: ConversationSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowConversationView(ScopedConversationsMixin, generics.RetrieveAPIView):
    serializer_class = ConversationSerializer
    lookup_url_kwarg = "conversation_id"

    def get_queryset(self):
        return self.visible()


@extend_schema(
    summary="The clinician confirms or disputes the body's account, once (a dispute gives their own version).",
    parameters=[CONVERSATION_ID],
    request=RespondSerializer,
    responses={200: ConversationSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
)
class RespondToConversationView(ScopedConversationsMixin, APIView):
    def post(self, request, conversation_id):
        conversation = selectors.conversation_for(request.user, conversation_id)
        if not user_can(request.user, Permission.HAVE_CAREER_CONVERSATIONS):
            raise exceptions.PermissionDenied("Only the clinician confirms or disputes their conversation.")
        serializer = RespondSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        service.conversation_respond(user=request.user, conversation=conversation, **serializer.validated_data)
        return Response(ConversationSerializer(selectors.conversation_for(request.user, conversation_id)).data)


class ListConversationRequestsView(ScopedConversationsMixin, generics.ListAPIView):
    """Open requests for a conversation (admins: of your bodies; clinicians: your own). POST (clinicians): ask your
    training body for one; a second open request is a 409."""

    serializer_class = ConversationRequestSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ConversationRequest.objects.none()
        return selectors.open_conversation_requests(self.request.user)

    @extend_schema(responses={200: ConversationRequestSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ConversationRequestSerializer,
        responses={201: ConversationRequestSerializer, **ERROR_RESPONSES, **CONFLICT},
    )
    def post(self, request, *args, **kwargs):
        if not user_can(request.user, Permission.HAVE_CAREER_CONVERSATIONS):
            raise exceptions.PermissionDenied("Only clinicians ask for career conversations.")
        serializer = ConversationRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = service.conversation_request(user=request.user, message=serializer.validated_data.get("message", ""))
        created = (
            selectors.conversation_requests_visible_to(request.user).select_related("profile__user").get(pk=created.pk)
        )
        return Response(ConversationRequestSerializer(created).data, status=status.HTTP_201_CREATED)
