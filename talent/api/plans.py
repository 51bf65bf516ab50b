"""API for the clinician's development plan: `me/plan/` (read it; PATCH sharing with the training body),
`me/plan/goals/` (add a goal) and `me/plan/reviews/` (record a review). Clinicians only, their own plan only."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.api import ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from pathways.api import DimensionField
from talent import selectors
from talent.models import ActionStatus, DevelopmentPlan, Dimension, GoalStatus, PlanAction, PlanGoal, PlanReview
from talent.models.plans import GOAL_DETAIL_MAX_LENGTH, GOAL_TITLE_MAX_LENGTH, REVIEW_NOTE_MAX_LENGTH
from talent.services import plans as service


class GoalStatusField(NamedEnumField):
    enum_name = "PlanGoalStatus"
    enum_choices = GoalStatus.choices


class ActionStatusField(NamedEnumField):
    enum_name = "PlanActionStatus"
    enum_choices = ActionStatus.choices


class PlanActionSerializer(serializers.ModelSerializer):
    status = ActionStatusField(read_only=True)
    pathway_step = serializers.SerializerMethodField(help_text="The pathway step it is, if any.")
    opportunity = serializers.UUIDField(source="opportunity_id", read_only=True, allow_null=True)

    class Meta:
        model = PlanAction
        fields = ["id", "text", "status", "target_on", "pathway_step", "opportunity"]
        read_only_fields = fields

    def get_pathway_step(self, action: PlanAction) -> str | None:
        step = action.pathway_step
        return f"{step.pathway.title}: {step.title}" if step else None


class PlanGoalSerializer(serializers.ModelSerializer):
    dimensions = serializers.ListField(child=DimensionField(), allow_empty=False, max_length=len(Dimension.values))
    status = GoalStatusField(read_only=True)
    actions = PlanActionSerializer(many=True, read_only=True)
    title = serializers.CharField(max_length=GOAL_TITLE_MAX_LENGTH)
    detail = serializers.CharField(max_length=GOAL_DETAIL_MAX_LENGTH, required=False, allow_blank=True)
    target_on = serializers.DateField(required=False, allow_null=True)

    class Meta:
        model = PlanGoal
        fields = ["id", "title", "detail", "dimensions", "target_on", "status", "actions"]
        read_only_fields = ["id", "status", "actions"]


class PlanReviewSerializer(serializers.ModelSerializer):
    note = serializers.CharField(max_length=REVIEW_NOTE_MAX_LENGTH, required=False, allow_blank=True)

    class Meta:
        model = PlanReview
        fields = ["id", "reviewed_on", "note", "snapshot"]
        read_only_fields = ["id", "reviewed_on", "snapshot"]


class PlanSerializer(serializers.Serializer):
    id = serializers.UUIDField(allow_null=True, help_text="Null until the first goal is added.")
    shared_with_training_body = serializers.BooleanField()
    next_review_on = serializers.DateField(allow_null=True)
    review_due = serializers.BooleanField()
    suggested_dimensions = serializers.ListField(
        child=DimensionField(), help_text="The dimensions rated lowest in the latest self-assessment."
    )
    goals = PlanGoalSerializer(many=True)
    reviews = PlanReviewSerializer(many=True)


class SharingSerializer(serializers.Serializer):
    shared_with_training_body = serializers.BooleanField()


class OwnPlanMixin:
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.KEEP_DEVELOPMENT_PLAN,)
    permission_denied_message = "Only clinicians keep a development plan."

    def own_profile(self):
        profile = selectors.profile_of(self.request.user)
        if profile is None:
            raise NotFound("You have no clinician profile yet. Create it first with POST /api/v1/me/profile/.")
        return profile

    def plan_data(self, profile) -> dict:
        plan: DevelopmentPlan | None = selectors.own_plan(profile)
        return PlanSerializer(
            {
                "id": plan.pk if plan else None,
                "shared_with_training_body": bool(plan and plan.shared_with_training_body),
                "next_review_on": plan.next_review_on if plan else None,
                "review_due": bool(plan and plan.next_review_on <= timezone.localdate()),
                "suggested_dimensions": selectors.suggested_dimensions(profile),
                "goals": list(plan.goals.all()) if plan else [],
                "reviews": list(selectors.plan_reviews(plan)) if plan else [],
            }
        ).data


class ShowMyPlanView(OwnPlanMixin, APIView):
    """Your development plan: goals with their actions, the next review, past reviews, and the dimensions you rated
    lowest (suggested for new goals). PATCH shares it with your training body, or stops sharing."""

    @extend_schema(responses={200: PlanSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request):
        return Response(self.plan_data(self.own_profile()))

    @extend_schema(request=SharingSerializer, responses={200: PlanSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def patch(self, request):
        profile = self.own_profile()
        serializer = SharingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = selectors.own_plan(profile)
        if plan is None:
            raise NotFound("You have no development plan yet: add a goal first.")
        service.plan_sharing_set(
            plan=plan, shared=serializer.validated_data["shared_with_training_body"], actor=request.user
        )
        return Response(self.plan_data(profile))


class AddMyPlanGoalView(OwnPlanMixin, APIView):
    """Add a goal to your plan (the plan starts with your first goal). At least one dimension."""

    @extend_schema(request=PlanGoalSerializer, responses={201: PlanGoalSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def post(self, request):
        profile = self.own_profile()
        serializer = PlanGoalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        goal = service.plan_goal_add(
            clinician=profile,
            title=data["title"],
            dimensions=data["dimensions"],
            detail=data.get("detail", ""),
            target_on=data.get("target_on"),
            actor=request.user,
        )
        return Response(PlanGoalSerializer(selectors.own_goal(profile, goal.pk)).data, status=status.HTTP_201_CREATED)


class AddMyPlanReviewView(OwnPlanMixin, APIView):
    """Record a review: your plan as it is now is kept, and the next review is set."""

    @extend_schema(request=PlanReviewSerializer, responses={201: PlanReviewSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def post(self, request):
        profile = self.own_profile()
        serializer = PlanReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = selectors.own_plan(profile)
        if plan is None:
            raise NotFound("You have no development plan yet: add a goal first.")
        review = service.plan_review_record(
            plan=plan, note=serializer.validated_data.get("note", ""), actor=request.user
        )
        return Response(PlanReviewSerializer(review).data, status=status.HTTP_201_CREATED)
