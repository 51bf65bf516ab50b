"""API for 360 feedback (DESIGN.md section 6): `me/feedback-rounds/` lists and starts the caller's rounds,
`me/feedback-rounds/{id}/` shows one with its answers as counts per group, and `.../close/` closes it early. The
raters' form is a page only (it needs no account); the report is a page too."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.api import ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from talent import selectors, services
from talent.models import FEEDBACK_MAX_RATERS, ClinicianProfile, FeedbackRound, RaterGroup


class RaterGroupField(NamedEnumField):
    enum_name = "RaterGroup"
    enum_choices = RaterGroup.choices


class RaterInputSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    group = RaterGroupField()


class FeedbackRoundCreateSerializer(serializers.Serializer):
    closes_on = serializers.DateField(help_text="7 to 42 days from today; raters may answer until the end of it.")
    raters = RaterInputSerializer(
        many=True,
        help_text="3 to 20 people, each with their group. Not your own address, and each address once.",
    )

    def validate_raters(self, raters):
        # The service says the same; stopping here first keeps a huge list from being checked address by address.
        if len(raters) > FEEDBACK_MAX_RATERS:
            raise serializers.ValidationError(f"Ask at most {FEEDBACK_MAX_RATERS} people for feedback")
        return raters


class GroupProgressSerializer(serializers.Serializer):
    group = serializers.CharField()
    invited = serializers.IntegerField()
    answered = serializers.IntegerField()


class FeedbackRoundSerializer(serializers.ModelSerializer):
    is_open = serializers.SerializerMethodField()
    invited = serializers.IntegerField(read_only=True)
    answered = serializers.IntegerField(read_only=True)
    progress = serializers.SerializerMethodField(help_text="Counts per group of who was asked and who answered.")
    shared_with_training_body = serializers.SerializerMethodField()

    class Meta:
        model = FeedbackRound
        fields = [
            "id",
            "opened_at",
            "closes_on",
            "closed_early_at",
            "is_open",
            "invited",
            "answered",
            "progress",
            "shared_with_training_body",
        ]
        read_only_fields = fields

    def get_is_open(self, feedback_round: FeedbackRound) -> bool:
        return feedback_round.is_open()

    @extend_schema_field(GroupProgressSerializer(many=True))
    def get_progress(self, feedback_round: FeedbackRound) -> list[dict]:
        return [
            {"group": group.group, "invited": group.invited, "answered": group.answered}
            for group in selectors.feedback_progress(feedback_round)
        ]

    def get_shared_with_training_body(self, feedback_round: FeedbackRound) -> bool:
        return feedback_round.shared_with_id is not None


class OwnRoundsMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.REQUEST_FEEDBACK,)
    permission_denied_message = "Only clinicians ask for 360 feedback."
    filter_backends: list = []

    def profile(self) -> ClinicianProfile:
        profile = selectors.profile_of(self.request.user)
        if profile is None:
            raise exceptions.NotFound("Complete your profile first.")
        return profile


class ListFeedbackRoundsView(OwnRoundsMixin, generics.ListAPIView):
    """Your 360 feedback rounds, newest first; POST starts one and emails each rater their link."""

    serializer_class = FeedbackRoundSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return FeedbackRound.objects.none()
        return selectors.own_feedback_rounds(self.profile())

    @extend_schema(responses={200: FeedbackRoundSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=FeedbackRoundCreateSerializer, responses={201: FeedbackRoundSerializer, **ERROR_RESPONSES})
    def post(self, request, *args, **kwargs):
        profile = self.profile()
        serializer = FeedbackRoundCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        feedback_round = services.feedback_round_start(
            profile=profile,
            closes_on=data["closes_on"],
            raters=[services.RaterInvite(email=r["email"], group=r["group"]) for r in data["raters"]],
        )
        created = selectors.own_feedback_round(profile, feedback_round.pk)
        return Response(FeedbackRoundSerializer(created).data, status=status.HTTP_201_CREATED)


ROUND_ID = OpenApiParameter("round_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[ROUND_ID], responses={200: FeedbackRoundSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowFeedbackRoundView(OwnRoundsMixin, APIView):
    """One of your rounds: when it closes, and how many in each group have answered (never who)."""

    def get(self, request, round_id):
        return Response(FeedbackRoundSerializer(selectors.own_feedback_round(self.profile(), round_id)).data)


@extend_schema(
    summary="Close a round early: links stop working and the report is made from the answers so far.",
    parameters=[ROUND_ID],
    request=None,
    responses={200: FeedbackRoundSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class CloseFeedbackRoundView(OwnRoundsMixin, APIView):
    def post(self, request, round_id):
        profile = self.profile()
        feedback_round = selectors.own_feedback_round(profile, round_id)
        services.feedback_round_close(profile=profile, feedback_round=feedback_round)
        return Response(FeedbackRoundSerializer(selectors.own_feedback_round(profile, round_id)).data)
