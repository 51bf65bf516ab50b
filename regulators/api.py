"""API for the regulators and their published licence guidance (DESIGN.md section 6).

Public and read-only: anyone may read published guidance. Only the current (published) version of each item is
listed; drafts and superseded versions never appear here. Unknown filter values answer 400 naming the filter.
Markdown fields are also returned as sanitised HTML (pathways.markdown.render_markdown).
"""

import django_filters
from django.db.models import Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny

from config.api import ERROR_RESPONSES, NamedEnumField
from pathways.api import ProfessionsField, RoleLevelField
from pathways.markdown import render_markdown
from pathways.models import LeadershipRole, RoleLevel
from regulators import selectors
from regulators.forms import RegulatorChoiceField
from regulators.models import GuidanceTopic, LicenceGuidanceVersion, Regulator

# --- Filters ---------------------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """A model chosen by its code or slug; documented as a string (the method filters below hide its type)."""


@extend_schema_field(OpenApiTypes.STR)
class RegulatorFilter(SlugChoiceFilter):
    """A regulator by code in any case, with the same field as the guidance page."""

    field_class = RegulatorChoiceField


class GuidanceFilter(django_filters.FilterSet):
    """Guidance of a regulator, for a leadership role or role level, or on a topic."""

    regulator = RegulatorFilter(queryset=Regulator.objects.order_by("code"), method="filter_regulator")
    role = SlugChoiceFilter(queryset=LeadershipRole.objects.all(), to_field_name="slug", method="filter_role")
    level = django_filters.ChoiceFilter(choices=RoleLevel.choices, method="filter_level")
    topic = django_filters.ChoiceFilter(choices=GuidanceTopic.choices, method="filter_topic")

    class Meta:
        model = LicenceGuidanceVersion
        fields = ["regulator", "role", "level", "topic"]

    def filter_regulator(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return selectors.guidance_filtered(queryset, regulator=value) if value else queryset

    def filter_role(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return selectors.guidance_filtered(queryset, role=value) if value else queryset

    def filter_level(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.guidance_filtered(queryset, level=value) if value else queryset

    def filter_topic(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return selectors.guidance_filtered(queryset, topic=value) if value else queryset


# --- Serializers -----------------------------------------------------------------------------------------------------


class GuidanceTopicField(NamedEnumField):
    enum_name = "GuidanceTopic"
    enum_choices = GuidanceTopic.choices


class RegulatorSerializer(serializers.ModelSerializer):
    professions = ProfessionsField(read_only=True)
    revalidation_cycle_months = serializers.IntegerField(
        read_only=True, help_text="Months between revalidations or renewals."
    )

    class Meta:
        model = Regulator
        fields = [
            "code",
            "name",
            "professions",
            "is_statutory",
            "registration_number_format",
            "registration_number_example",
            "revalidation_cycle_months",
            "revalidation_summary",
            "website",
        ]
        read_only_fields = fields


class GuidanceRoleSerializer(serializers.ModelSerializer):
    level = RoleLevelField(read_only=True)

    class Meta:
        model = LeadershipRole
        fields = ["slug", "name", "level"]
        read_only_fields = fields


class GuidanceSerializer(serializers.ModelSerializer):
    """The current version of one guidance item."""

    regulator = serializers.SlugRelatedField(source="guidance.regulator", slug_field="code", read_only=True)
    slug = serializers.SlugField(source="guidance.slug", read_only=True)
    version = serializers.IntegerField(source="number", read_only=True)
    topics = serializers.ListField(child=GuidanceTopicField(), read_only=True)
    role_levels = serializers.ListField(
        child=RoleLevelField(), read_only=True, help_text="Role levels it applies to; empty (with no roles) means all."
    )
    roles = GuidanceRoleSerializer(many=True, read_only=True)
    body_html = serializers.SerializerMethodField(help_text="The body rendered to sanitised HTML.")
    senior_leaders_html = serializers.SerializerMethodField(
        help_text="How this applies to senior leaders, rendered to sanitised HTML."
    )

    class Meta:
        model = LicenceGuidanceVersion
        fields = [
            "regulator",
            "slug",
            "version",
            "title",
            "summary",
            "body",
            "body_html",
            "senior_leaders",
            "senior_leaders_html",
            "topics",
            "role_levels",
            "roles",
            "source_url",
            "effective_from",
            "last_reviewed_on",
            "published_at",
        ]
        read_only_fields = fields

    def get_body_html(self, version: LicenceGuidanceVersion) -> str:
        return render_markdown(version.body)

    def get_senior_leaders_html(self, version: LicenceGuidanceVersion) -> str:
        return render_markdown(version.senior_leaders)


# --- Views -----------------------------------------------------------------------------------------------------------

NOT_FOUND = {404: OpenApiResponse(OpenApiTypes.OBJECT, description='No such published guidance: `{"detail": ...}`.')}


def _enum(choices) -> list[str]:
    return [value for value, _ in choices]


class PublicReadMixin:
    permission_classes = [AllowAny]


@extend_schema(responses={200: RegulatorSerializer(many=True)})
class ListRegulatorsView(PublicReadMixin, generics.ListAPIView):
    """The nine regulators (and accredited register) of the clinical professions, with their revalidation or
    renewal cycles."""

    serializer_class = RegulatorSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Regulator.objects.order_by("code")


def _guidance_queryset() -> QuerySet[LicenceGuidanceVersion]:
    return selectors.published_guidance().prefetch_related(
        Prefetch("roles", queryset=LeadershipRole.objects.order_by("name"))
    )


@extend_schema(
    parameters=[
        OpenApiParameter("regulator", str, description="Regulator code in any case, e.g. `GMC` or `gmc`."),
        OpenApiParameter("role", str, description="Leadership role slug, e.g. `medical-director`."),
        OpenApiParameter("level", str, enum=_enum(RoleLevel.choices), description="Leadership role level."),
        OpenApiParameter("topic", str, enum=_enum(GuidanceTopic.choices), description="Topic."),
    ],
    responses={200: GuidanceSerializer(many=True), 400: ERROR_RESPONSES[400]},
)
class ListGuidanceView(PublicReadMixin, generics.ListAPIView):
    """Published licence guidance (the current version of each item), by regulator and title."""

    serializer_class = GuidanceSerializer
    filterset_class = GuidanceFilter

    def get_queryset(self):
        return _guidance_queryset().order_by("guidance__regulator__code", "title", "pk")


@extend_schema(
    parameters=[
        OpenApiParameter("regulator", str, OpenApiParameter.PATH, description="Regulator code, e.g. `gmc`."),
        OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The guidance item's slug."),
    ],
    responses={200: GuidanceSerializer, **NOT_FOUND},
)
class ShowGuidanceView(PublicReadMixin, generics.RetrieveAPIView):
    """The current version of one guidance item; an item with no published version answers 404."""

    serializer_class = GuidanceSerializer
    filter_backends: list = []

    def get_object(self):
        version = (
            _guidance_queryset()
            .filter(guidance__regulator__code__iexact=self.kwargs["regulator"], guidance__slug=self.kwargs["slug"])
            .first()
        )
        if version is None:
            raise NotFound("No such published guidance.")
        return version
