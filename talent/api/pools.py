"""API for talent pools (DESIGN.md section 6): `pools/` (the pools you own; create), `pools/{id}/`,
`pools/{id}/members/` (members, invitations and requests; invite), `pools/{id}/members/{id}/readiness/`,
`pools/{id}/members/{id}/accept/` and `decline/` (a request to join), `reviews/` (open one), `reviews/{id}/`,
`reviews/{id}/ratings/`, `reviews/{id}/close/`; for clinicians `me/pools/` (ask to join) and
`me/pools/{id}/accept/`, `decline/`, `leave/`.

Reads go through talent.selectors.pools (outside scope: 404); every change through talent.services.pools. A review
rating sent with an out-of-date `version` answers 409 naming who agreed it and when.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from accounts.selectors import training_bodies_administered_by
from config.api import CONFLICT, ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from pathways.api import ProfessionsField, RoleLevelField
from pathways.models import LeadershipRole
from talent.api.licence import MemberLicenceSerializer
from talent.models import MembershipState, PoolMembership, Readiness, ReviewRating, TalentPool, TalentReview
from talent.selectors import pools as selectors
from talent.selectors.licence import with_licence
from talent.services import pools as service


class ReadinessField(NamedEnumField):
    enum_name = "PoolReadiness"
    enum_choices = Readiness.choices


class MembershipStateField(NamedEnumField):
    enum_name = "PoolMembershipState"
    enum_choices = MembershipState.choices


class PoolSerializer(serializers.ModelSerializer):
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = serializers.CharField(source="owner_name", read_only=True, help_text="National when neither is set.")
    role_level = RoleLevelField(read_only=True)
    professions = ProfessionsField(read_only=True)

    class Meta:
        model = TalentPool
        fields = [
            "id",
            "name",
            "purpose",
            "role_level",
            "professions",
            "training_body",
            "region",
            "owner",
            "created_at",
        ]
        read_only_fields = fields


class PoolCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=service.NAME_MAX_LENGTH)
    purpose = serializers.CharField(max_length=service.TEXT_MAX_LENGTH)
    role_level = RoleLevelField(help_text="service, organisation, system or national (team is not a pool's level).")
    professions = ProfessionsField(required=False, help_text="Empty for any profession.")
    training_body = serializers.SlugField(
        required=False, help_text="Training-body admins of several bodies: the body's slug."
    )


class MemberSerializer(serializers.ModelSerializer):
    clinician = serializers.UUIDField(source="profile_id", read_only=True)
    clinician_name = serializers.CharField(source="profile.full_name", read_only=True)
    profession = serializers.CharField(source="profile.profession", read_only=True)
    state = MembershipStateField(read_only=True)
    readiness = serializers.CharField(read_only=True, help_text="Empty until assessed.")
    target_role = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    readiness_by = serializers.CharField(source="readiness_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "clinician",
            "clinician_name",
            "profession",
            "state",
            "created_at",
            "readiness",
            "target_role",
            "readiness_evidence",
            "readiness_by",
            "readiness_at",
        ]
        read_only_fields = fields


class MemberWithLicenceSerializer(MemberSerializer):
    licence = MemberLicenceSerializer(
        read_only=True, allow_null=True, help_text="Members only; null for invitations and requests to join."
    )

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "licence"]
        read_only_fields = fields


class OwnMembershipSerializer(serializers.ModelSerializer):
    """What the clinician sees of their own membership: the pool, its state, their assessed readiness and evidence."""

    pool = PoolSerializer(read_only=True)
    state = MembershipStateField(read_only=True)
    target_role = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = PoolMembership
        fields = ["id", "pool", "state", "created_at", "readiness", "target_role", "readiness_evidence", "readiness_at"]
        read_only_fields = fields


class InviteSerializer(serializers.Serializer):
    clinician = serializers.UUIDField(help_text="The profile id of a clinician who shares their record with the owner.")
    note = serializers.CharField(max_length=service.TEXT_MAX_LENGTH, required=False, allow_blank=True)


class ReadinessSerializer(serializers.Serializer):
    readiness = ReadinessField()
    evidence = serializers.CharField(max_length=service.TEXT_MAX_LENGTH)
    target_role = serializers.SlugField(required=False, help_text="A leadership role at the pool's role level.")


class RatingSerializer(serializers.ModelSerializer):
    member = serializers.UUIDField(source="membership_id", read_only=True)
    original_readiness = serializers.CharField(read_only=True)
    agreed_readiness = ReadinessField(read_only=True)
    agreed_by = serializers.CharField(source="agreed_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = ReviewRating
        fields = ["member", "original_readiness", "agreed_readiness", "agreed_by", "agreed_at", "note", "version"]
        read_only_fields = fields


class ReviewSerializer(serializers.ModelSerializer):
    pool = serializers.UUIDField(source="pool_id", read_only=True)
    opened_by = serializers.CharField(source="opened_by.full_name", read_only=True, allow_null=True)
    closed_by = serializers.CharField(source="closed_by.full_name", read_only=True, allow_null=True)

    class Meta:
        model = TalentReview
        fields = ["id", "pool", "opened_by", "opened_at", "closed_by", "closed_at"]
        read_only_fields = fields


class ReviewDetailSerializer(ReviewSerializer):
    ratings = RatingSerializer(many=True, read_only=True, source="ratings_list")

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "ratings"]
        read_only_fields = fields


class ReviewOpenSerializer(serializers.Serializer):
    pool = serializers.UUIDField()


class JoinSerializer(serializers.Serializer):
    pool = serializers.UUIDField(help_text="A pool of a training body or HEE you share your record with.")


class RateSerializer(serializers.Serializer):
    member = serializers.UUIDField(help_text="The pool membership's id.")
    readiness = ReadinessField()
    note = serializers.CharField(max_length=service.TEXT_MAX_LENGTH, required=False, allow_blank=True)
    version = serializers.IntegerField(
        min_value=0, default=0, help_text="The rating's version you saw (0 when not yet agreed in this review)."
    )


class OwnerMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.MANAGE_TALENT_POOLS,)
    permission_denied_message = "Only training-body admins and HEE staff run talent pools."
    filter_backends: list = []

    def owned(self) -> QuerySet[TalentPool]:
        if getattr(self, "swagger_fake_view", False):
            return TalentPool.objects.none()
        return selectors.pools_owned_by(self.request.user).order_by("name", "pk")


class ClinicianMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.JOIN_TALENT_POOLS,)
    permission_denied_message = "Only clinicians join talent pools."
    filter_backends: list = []


POOL_ID = OpenApiParameter("pool_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
MEMBER_ID = OpenApiParameter("membership_id", OpenApiTypes.UUID, OpenApiParameter.PATH)
REVIEW_ID = OpenApiParameter("review_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


class ListPoolsView(OwnerMixin, generics.ListAPIView):
    """The talent pools you own. POST creates one (training-body admins: for your body; HEE staff: for your region,
    or national when you are national staff)."""

    serializer_class = PoolSerializer

    def get_queryset(self):
        return self.owned()

    @extend_schema(responses={200: PoolSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PoolCreateSerializer, responses={201: PoolSerializer, **ERROR_RESPONSES})
    def post(self, request, *args, **kwargs):
        serializer = PoolCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        body = None
        if data.get("training_body"):
            body = training_bodies_administered_by(request.user).filter(slug=data["training_body"]).first()
            if body is None:
                raise exceptions.ValidationError({"training_body": ["You are not an admin of this training body."]})
        pool = service.pool_create(
            user=request.user,
            name=data["name"],
            purpose=data["purpose"],
            role_level=data["role_level"],
            professions=data.get("professions", []),
            training_body=body,
        )
        return Response(PoolSerializer(pool).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[POOL_ID], responses={200: PoolSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowPoolView(OwnerMixin, generics.RetrieveAPIView):
    """One pool you own."""

    serializer_class = PoolSerializer
    lookup_url_kwarg = "pool_id"

    def get_queryset(self):
        return self.owned()


class ListPoolMembersView(OwnerMixin, generics.ListAPIView):
    """A pool's members (`state=active`, the default), invitations (`invited`) or requests to join (`requested`).
    POST invites a consenting clinician: they are emailed and become a member only if they accept. Each member
    comes with `licence`: whether their target role needs a licence to practise, and flags when their revalidation
    is overdue or due during a planned programme or secondment, with their regulator's guidance."""

    serializer_class = MemberWithLicenceSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PoolMembership.objects.none()
        pool = self.pool = selectors.pool_for_owner(self.request.user, self.kwargs["pool_id"])
        state = self.request.query_params.get("state", MembershipState.ACTIVE)
        if state not in (MembershipState.ACTIVE, MembershipState.INVITED, MembershipState.REQUESTED):
            raise exceptions.ValidationError({"state": ["Choose one of: active, invited, requested."]})
        return selectors.pool_members(self.request.user, pool, states=(state,))

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else with_licence(viewer=self.request.user, pool=self.pool, members=page)

    @extend_schema(
        parameters=[POOL_ID, OpenApiParameter("state", str, enum=["active", "invited", "requested"])],
        responses={200: MemberWithLicenceSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        parameters=[POOL_ID],
        request=InviteSerializer,
        responses={201: MemberSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
    )
    def post(self, request, pool_id):
        pool = selectors.pool_for_owner(request.user, pool_id)
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        profile = selectors.pool_audience(pool).filter(pk=data["clinician"]).first()
        if profile is None:
            raise exceptions.ValidationError(
                {"clinician": [f"No clinician who shares their record with {pool.owner_name} has this id."]}
            )
        membership = service.membership_invite(user=request.user, pool=pool, profile=profile, note=data.get("note", ""))
        membership = selectors.member_for_owner(request.user, pool, membership.pk)
        return Response(MemberSerializer(membership).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[POOL_ID, MEMBER_ID],
    request=ReadinessSerializer,
    responses={200: MemberSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
)
class AssessReadinessView(OwnerMixin, APIView):
    """Record a member's assessed readiness and its evidence (the clinician sees both); each change is audited."""

    def post(self, request, pool_id, membership_id):
        pool = selectors.pool_for_owner(request.user, pool_id)
        membership = selectors.member_for_owner(request.user, pool, membership_id)
        serializer = ReadinessSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        role = None
        if data.get("target_role"):
            role = LeadershipRole.objects.filter(slug=data["target_role"]).first()
            if role is None:
                raise exceptions.ValidationError({"target_role": ["No leadership role has this slug."]})
        service.readiness_assess(
            user=request.user,
            pool=pool,
            membership=membership,
            readiness=data["readiness"],
            evidence=data["evidence"],
            target_role=role,
        )
        return Response(MemberSerializer(selectors.member_for_owner(request.user, pool, membership_id)).data)


class AnswerRequestView(OwnerMixin, APIView):
    accept = True

    def post(self, request, pool_id, membership_id):
        pool = selectors.pool_for_owner(request.user, pool_id)
        membership = selectors.member_for_owner(request.user, pool, membership_id)
        membership = service.membership_respond(user=request.user, membership=membership, accept=self.accept)
        return Response(MemberSerializer(membership).data)


_ANSWER = {
    "parameters": [POOL_ID, MEMBER_ID],
    "request": None,
    "responses": {200: MemberSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
}


@extend_schema(summary="An owner accepts a clinician's request to join.", **_ANSWER)
class AcceptRequestView(AnswerRequestView):
    def post(self, request, pool_id, membership_id):
        return super().post(request, pool_id, membership_id)


@extend_schema(summary="An owner declines a clinician's request to join.", **_ANSWER)
class DeclineRequestView(AnswerRequestView):
    accept = False

    def post(self, request, pool_id, membership_id):
        return super().post(request, pool_id, membership_id)


class ListReviewsView(OwnerMixin, generics.ListAPIView):
    """Talent reviews of the pools you own, newest first. POST opens one (`pool`); a pool has one open at a time."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return TalentReview.objects.none()
        return selectors.reviews_visible_to(self.request.user)

    @extend_schema(responses={200: ReviewSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=ReviewOpenSerializer, responses={201: ReviewSerializer, **ERROR_RESPONSES, **CONFLICT})
    def post(self, request, *args, **kwargs):
        serializer = ReviewOpenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool = self.owned().filter(pk=serializer.validated_data["pool"]).first()
        if pool is None:
            raise exceptions.ValidationError({"pool": ["You own no talent pool with this id."]})
        review = service.review_open(user=request.user, pool=pool)
        return Response(ReviewSerializer(review).data, status=status.HTTP_201_CREATED)


def _review_detail(user, review_id) -> dict:
    review = selectors.review_for(user, review_id)
    review.ratings_list = [row.rating for row in selectors.review_rows(user, review) if row.rating is not None]
    return ReviewDetailSerializer(review).data


@extend_schema(parameters=[REVIEW_ID], responses={200: ReviewDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND})
class ShowReviewView(OwnerMixin, APIView):
    """One review with the ratings agreed so far: each keeps the original readiness, the agreed one and who agreed."""

    def get(self, request, review_id):
        return Response(_review_detail(request.user, review_id))


@extend_schema(
    parameters=[REVIEW_ID],
    request=RateSerializer,
    responses={200: ReviewDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
)
class RateMemberView(OwnerMixin, APIView):
    """Record the agreed readiness of one member. Send the `version` you saw: if another owner agreed it since,
    the answer is 409 naming them and when. A closed review answers 409."""

    def post(self, request, review_id):
        review = selectors.review_for(request.user, review_id)
        serializer = RateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        membership = selectors.pool_members(request.user, review.pool).filter(pk=data["member"]).first()
        if membership is None:
            raise exceptions.ValidationError({"member": ["This clinician is not a member of the pool."]})
        service.review_rate(
            user=request.user,
            review=review,
            membership=membership,
            readiness=data["readiness"],
            note=data.get("note", ""),
            version=data["version"],
        )
        return Response(_review_detail(request.user, review_id))


@extend_schema(
    parameters=[REVIEW_ID], request=None, responses={200: ReviewSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT}
)
class CloseReviewView(OwnerMixin, APIView):
    """Close the review: the agreed ratings become the members' readiness; it is read-only from then on (409)."""

    def post(self, request, review_id):
        review = selectors.review_for(request.user, review_id)
        review = service.review_close(user=request.user, review=review)
        return Response(ReviewSerializer(review).data)


class ListMyPoolsView(ClinicianMixin, generics.ListAPIView):
    """Your invitations, requests and memberships, with your assessed readiness and its evidence. POST asks to join
    a pool (`pool`) of those you share your record with."""

    serializer_class = OwnMembershipSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return PoolMembership.objects.none()
        return selectors.own_memberships(self.request.user)

    @extend_schema(responses={200: OwnMembershipSerializer(many=True), **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=JoinSerializer, responses={201: OwnMembershipSerializer, **ERROR_RESPONSES, **CONFLICT})
    def post(self, request, *args, **kwargs):
        serializer = JoinSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        pool_id = serializer.validated_data["pool"]
        pool = selectors.pools_open_to(request.user, include_joined=True).filter(pk=pool_id).first()
        if pool is None:
            raise exceptions.ValidationError({"pool": ["You cannot ask to join a pool with this id."]})
        membership = service.membership_request(user=request.user, pool=pool)
        return Response(
            OwnMembershipSerializer(selectors.own_membership_for(request.user, membership.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class OwnMembershipActionView(ClinicianMixin, APIView):
    action = ""

    def post(self, request, membership_id):
        membership = selectors.own_membership_for(request.user, membership_id)
        if self.action == "leave":
            service.membership_leave(user=request.user, membership=membership)
            return Response(status=status.HTTP_204_NO_CONTENT)
        service.membership_respond(user=request.user, membership=membership, accept=self.action == "accept")
        if self.action == "decline":
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(OwnMembershipSerializer(selectors.own_membership_for(request.user, membership_id)).data)


_OWN = {"parameters": [MEMBER_ID], "request": None}


@extend_schema(
    summary="Accept an invitation.",
    responses={200: OwnMembershipSerializer, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
    **_OWN,
)
class AcceptInvitationView(OwnMembershipActionView):
    action = "accept"

    def post(self, request, membership_id):
        return super().post(request, membership_id)


@extend_schema(
    summary="Decline an invitation.", responses={204: None, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT}, **_OWN
)
class DeclineInvitationView(OwnMembershipActionView):
    action = "decline"

    def post(self, request, membership_id):
        return super().post(request, membership_id)


@extend_schema(
    summary="Leave a pool (or withdraw a request): no owner sees you in it from then on.",
    responses={204: None, **ERROR_RESPONSES, **NOT_FOUND, **CONFLICT},
    **_OWN,
)
class LeavePoolView(OwnMembershipActionView):
    action = "leave"

    def post(self, request, membership_id):
        return super().post(request, membership_id)
