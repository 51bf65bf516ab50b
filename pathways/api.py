"""API for published career pathways and development opportunities (DESIGN.md section 6).

Published content is public, so these read-only endpoints allow anonymous callers. Drafts never appear: every read
starts from pathways.selectors (pathways_visible_to / opportunities_visible_to), and a draft's URL answers 404.
Unknown filter values answer 400 naming the filter. Markdown fields are also returned as sanitised HTML
(pathways.markdown.render_markdown).

`eligible_for=me` lists only the opportunities the signed-in clinician may apply for today. Every rule of
pathways.selectors.eligibility_for is expressible in the database, so the whole filter runs there (one query, correct
counts and pagination); tests/pathways/test_api.py checks it agrees with eligibility_for. Anonymous callers get 401;
signed-in users without a clinician profile get 400 saying why.
"""

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers
from rest_framework.permissions import AllowAny

from config.api import ERROR_RESPONSES, NamedEnumField
from pathways.markdown import render_markdown
from pathways.models import (
    LeadershipRole,
    Opportunity,
    OpportunityKind,
    Pathway,
    PathwayStep,
    RoleLevel,
)
from pathways.presenters import eligibility_sentence
from pathways.selectors import (
    eligibility_for,
    eligible_q,
    listed_or_any_q,
    opportunities_visible_to,
    pathways_visible_to,
)
from regulators.models import Profession
from talent.models import CareerStage, Dimension
from talent.selectors import profile_of

# --- Filters ---------------------------------------------------------------------------------------------------------

TRUE_FALSE = [("true", "Yes"), ("false", "No")]


class PathwayFilter(django_filters.FilterSet):
    """Pathways for a profession (including those open to any), into a target role, or at a role level."""

    profession = django_filters.ChoiceFilter(choices=Profession.choices, method="filter_profession")
    role = django_filters.ModelChoiceFilter(
        field_name="target_role", queryset=LeadershipRole.objects.all(), to_field_name="slug"
    )
    level = django_filters.ChoiceFilter(field_name="target_role__level", choices=RoleLevel.choices)

    class Meta:
        model = Pathway
        fields = ["profession", "role", "level"]

    def filter_profession(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(listed_or_any_q("professions", value)) if value else queryset


class OpportunityFilter(django_filters.FilterSet):
    """Opportunities open today (or not), of a kind, for a profession, or that the signed-in clinician may apply
    for."""

    open = django_filters.ChoiceFilter(choices=TRUE_FALSE, method="filter_open")
    kind = django_filters.ChoiceFilter(choices=OpportunityKind.choices)
    profession = django_filters.ChoiceFilter(choices=Profession.choices, method="filter_profession")
    eligible_for = django_filters.ChoiceFilter(choices=[("me", "me")], method="filter_eligible_for")

    class Meta:
        model = Opportunity
        fields = ["open", "kind", "profession", "eligible_for"]

    def filter_open(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        today = timezone.localdate()
        open_today = Q(opens_on__lte=today, closes_on__gte=today)
        return queryset.filter(open_today if value == "true" else ~open_today)

    def filter_profession(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(listed_or_any_q("professions", value)) if value else queryset

    def filter_eligible_for(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        user = self.request.user
        if not user.is_authenticated:
            raise exceptions.NotAuthenticated("Sign in as a clinician to list the opportunities you are eligible for.")
        profile = profile_of(user)
        if profile is None:
            raise exceptions.ValidationError(
                {
                    "eligible_for": [
                        "Only clinicians with a profile can use eligible_for=me. "
                        "Clinicians create theirs with POST /api/v1/me/profile/."
                    ]
                }
            )
        return queryset.filter(eligible_q(profile, timezone.localdate()))


# --- Serializers -----------------------------------------------------------------------------------------------------


class RoleLevelField(NamedEnumField):
    enum_name = "RoleLevel"
    enum_choices = RoleLevel.choices


class ProfessionField(NamedEnumField):
    enum_name = "Profession"
    enum_choices = Profession.choices


class CareerStageField(NamedEnumField):
    enum_name = "CareerStage"
    enum_choices = CareerStage.choices


class OpportunityKindField(NamedEnumField):
    enum_name = "OpportunityKind"
    enum_choices = OpportunityKind.choices


class DimensionField(NamedEnumField):
    enum_name = "Dimension"
    enum_choices = Dimension.choices


class ProfessionsField(serializers.ListField):
    """Profession codes; an empty list means open to any profession."""

    child = ProfessionField()


class LeadershipRoleSerializer(serializers.ModelSerializer):
    level = RoleLevelField(read_only=True)

    class Meta:
        model = LeadershipRole
        fields = ["slug", "name", "level", "needs_licence"]
        read_only_fields = fields


class OpportunityLinkSerializer(serializers.ModelSerializer):
    """A published opportunity a pathway step suggests; open it at opportunities/{id}/."""

    class Meta:
        model = Opportunity
        fields = ["id", "slug", "title"]
        read_only_fields = fields


class PathwayStepSerializer(serializers.ModelSerializer):
    description_html = serializers.SerializerMethodField(help_text="The description rendered to sanitised HTML.")
    dimensions = serializers.ListField(
        child=DimensionField(), read_only=True, help_text="Healthcare Leadership Model dimensions this step builds."
    )
    suggested_opportunities = OpportunityLinkSerializer(many=True, read_only=True)

    class Meta:
        model = PathwayStep
        fields = [
            "order",
            "title",
            "description",
            "description_html",
            "typical_duration",
            "dimensions",
            "suggested_opportunities",
        ]
        read_only_fields = fields

    def get_description_html(self, step: PathwayStep) -> str:
        return render_markdown(step.description)


class PathwaySerializer(serializers.ModelSerializer):
    professions = ProfessionsField(read_only=True)
    target_role = LeadershipRoleSerializer(read_only=True)

    class Meta:
        model = Pathway
        fields = ["slug", "title", "summary", "professions", "target_role", "published_at", "last_reviewed_on"]
        read_only_fields = fields


class PathwayDetailSerializer(PathwaySerializer):
    """One pathway with its body (Markdown, and sanitised HTML) and its steps in order."""

    body_html = serializers.SerializerMethodField(help_text="The body rendered to sanitised HTML.")
    steps = PathwayStepSerializer(many=True, read_only=True)

    class Meta(PathwaySerializer.Meta):
        fields = [*PathwaySerializer.Meta.fields, "body", "body_html", "steps"]
        read_only_fields = fields

    def get_body_html(self, pathway: Pathway) -> str:
        return render_markdown(pathway.body)


class EligibilitySerializer(serializers.Serializer):
    eligible = serializers.BooleanField(read_only=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Each rule you do not meet, in plain words."
    )


class OpportunitySerializer(serializers.ModelSerializer):
    kind = OpportunityKindField(read_only=True)
    professions = ProfessionsField(read_only=True)
    career_stages = serializers.ListField(
        child=CareerStageField(), read_only=True, help_text="Career stage codes; empty means any."
    )
    is_open = serializers.SerializerMethodField(help_text="Whether applications are open today.")
    eligibility_summary = serializers.SerializerMethodField(
        help_text='Who may apply, as one sentence ("Open to doctors in specialty training at ST4 or above.").'
    )

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "slug",
            "title",
            "provider",
            "kind",
            "summary",
            "link",
            "professions",
            "career_stages",
            "min_specialty_training_year",
            "min_years_since_registration",
            "max_years_since_registration",
            "takes_trainee_out_of_programme",
            "opens_on",
            "closes_on",
            "is_open",
            "places",
            "nomination_required",
            "applications_through_service",
            "eligibility_summary",
            "last_reviewed_on",
        ]
        read_only_fields = fields

    def get_is_open(self, opportunity: Opportunity) -> bool:
        return opportunity.is_open_on(self.context.get("today") or timezone.localdate())

    def get_eligibility_summary(self, opportunity: Opportunity) -> str:
        return eligibility_sentence(opportunity)


class OpportunityDetailSerializer(OpportunitySerializer):
    """One opportunity with its description, and for a clinician with a profile, whether they may apply."""

    description_html = serializers.SerializerMethodField(help_text="The description rendered to sanitised HTML.")
    eligibility = serializers.SerializerMethodField(
        help_text="For a signed-in clinician with a profile: whether they may apply today, and if not, why. "
        "Null for everyone else."
    )

    class Meta(OpportunitySerializer.Meta):
        fields = [
            *OpportunitySerializer.Meta.fields,
            "description",
            "description_html",
            "eligibility",
            "next_steps",
            "starts_on",
            "ends_on",
            "contact_name",
            "contact_email",
        ]
        read_only_fields = fields

    def get_description_html(self, opportunity: Opportunity) -> str:
        return render_markdown(opportunity.description)

    @extend_schema_field(EligibilitySerializer(allow_null=True))
    def get_eligibility(self, opportunity: Opportunity) -> dict | None:
        profile = self.context.get("profile")
        if profile is None:
            return None
        result = eligibility_for(opportunity=opportunity, profile=profile, today=self.context.get("today"))
        return {"eligible": result.eligible, "reasons": result.reasons}


# --- Views -----------------------------------------------------------------------------------------------------------

NOT_FOUND = {
    404: OpenApiResponse(OpenApiTypes.OBJECT, description='No such published item (drafts too): `{"detail": ...}`.')
}


def _enum(choices) -> list[str]:
    return [value for value, _ in choices]


PROFESSION_PARAMETER = OpenApiParameter(
    "profession",
    str,
    enum=_enum(Profession.choices),
    description="Only those for this profession (including those open to any profession).",
)


class PublicReadMixin:
    """Published content is public: anyone may read it, signed in or not."""

    permission_classes = [AllowAny]


@extend_schema(
    parameters=[
        PROFESSION_PARAMETER,
        OpenApiParameter("role", str, description="Target leadership role slug, e.g. `clinical-director`."),
        OpenApiParameter("level", str, enum=_enum(RoleLevel.choices), description="Level of the target role."),
    ],
    responses={200: PathwaySerializer(many=True), 400: ERROR_RESPONSES[400]},
)
class ListPathwaysView(PublicReadMixin, generics.ListAPIView):
    """Published career pathways into leadership roles, by title. Anyone may read them."""

    serializer_class = PathwaySerializer
    filterset_class = PathwayFilter

    def get_queryset(self):
        return pathways_visible_to(self.request.user).order_by("title", "pk")


@extend_schema(
    parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The pathway's slug.")],
    responses={200: PathwayDetailSerializer, **NOT_FOUND},
)
class ShowPathwayView(PublicReadMixin, generics.RetrieveAPIView):
    """One published pathway with its steps in order; a draft answers 404. Suggested opportunities are only
    published ones."""

    serializer_class = PathwayDetailSerializer
    lookup_field = "slug"
    filter_backends: list = []

    def get_queryset(self):
        suggested = opportunities_visible_to(self.request.user).only("id", "slug", "title").order_by("title", "pk")
        steps = PathwayStep.objects.order_by("order").prefetch_related(
            Prefetch("suggested_opportunities", queryset=suggested)
        )
        return pathways_visible_to(self.request.user).prefetch_related(Prefetch("steps", queryset=steps))


@extend_schema(
    parameters=[
        OpenApiParameter(
            "open", str, enum=["true", "false"], description="`true`: applications open today; `false`: not open today."
        ),
        OpenApiParameter("kind", str, enum=_enum(OpportunityKind.choices), description="Kind of opportunity."),
        PROFESSION_PARAMETER,
        OpenApiParameter(
            "eligible_for",
            str,
            enum=["me"],
            description="`me`: only those the signed-in clinician may apply for today (every eligibility rule met, "
            "window open). Anonymous callers get 401; signed-in users without a clinician profile get 400.",
        ),
    ],
    responses={
        200: OpportunitySerializer(many=True),
        400: ERROR_RESPONSES[400],
        401: OpenApiResponse(
            OpenApiTypes.OBJECT, description='`eligible_for=me` without signing in: `{"detail": ...}`.'
        ),
    },
)
class ListOpportunitiesView(PublicReadMixin, generics.ListAPIView):
    """Published development opportunities, closing soonest first. Anyone may read them."""

    serializer_class = OpportunitySerializer
    filterset_class = OpportunityFilter

    def get_queryset(self):
        return opportunities_visible_to(self.request.user).order_by("closes_on", "title", "pk")

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}


@extend_schema(
    parameters=[OpenApiParameter("opportunity_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    responses={200: OpportunityDetailSerializer, **NOT_FOUND},
)
class ShowOpportunityView(PublicReadMixin, generics.RetrieveAPIView):
    """One published opportunity; a draft answers 404. A signed-in clinician with a profile also sees whether they
    may apply, or every rule they do not meet."""

    serializer_class = OpportunityDetailSerializer
    lookup_url_kwarg = "opportunity_id"
    filter_backends: list = []

    def get_queryset(self):
        return opportunities_visible_to(self.request.user)

    def get_serializer_context(self) -> dict:
        context = {**super().get_serializer_context(), "today": timezone.localdate()}
        if not getattr(self, "swagger_fake_view", False):
            context["profile"] = profile_of(self.request.user)
        return context
