"""API for the clinician's side (DESIGN.md section 6): the signed-in clinician's profile, interest history and
self-assessments, and the scoped clinician list for training-body admins and HEE staff.

Serializers only check shapes and types; every write goes through talent.services and every read of someone else's
data through talent.selectors.clinicians_visible_to. A DomainError from a service answers 400 with the field it names
(or 409 when it is a conflict): see config.api.
"""

import dataclasses

from django.db import transaction
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.audit import audit_record
from accounts.models import Region, TrainingBody
from accounts.permissions import HasRequiredPermission, Permission
from config.api import CONFLICT, ERROR_RESPONSES, NOT_FOUND, Conflict, NamedEnumField
from config.paginators import ListTotal, ListTotalPagination
from pathways.api import RoleLevelField
from pathways.models import LeadershipRole
from pipeline.selectors import clinicians_list_total
from regulators.models import Profession
from talent import selectors, services
from talent.filters import ClinicianFilter
from talent.models import (
    AssessmentStatus,
    CareerStage,
    ClinicianProfile,
    Dimension,
    InterestLevel,
    InterestRecord,
    LeadershipExperience,
    Qualification,
    ReadinessHorizon,
    SelfAssessment,
)

MAX_TARGET_ROLES = 20


class NoProfile(exceptions.NotFound):
    default_detail = "You have no clinician profile yet. Create it first with POST /api/v1/me/profile/."


class OwnProfileMixin:
    """For the signed-in clinician's own data: resolves their profile or answers 404 before onboarding."""

    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.EDIT_OWN_PROFILE,)
    permission_denied_message = "Only clinicians can use this endpoint."

    def own_profile(self) -> ClinicianProfile:
        profile = selectors.profile_of(self.request.user)
        if profile is None:
            raise NoProfile()
        return profile


# --- Serializers -----------------------------------------------------------------------------------------------------


class InterestLevelField(NamedEnumField):
    enum_name = "InterestLevel"
    enum_choices = InterestLevel.choices


class ReadinessHorizonField(NamedEnumField):
    """A readiness horizon; null on a profile until its first interest record."""

    enum_name = "ReadinessHorizon"
    enum_choices = ReadinessHorizon.choices

    def to_representation(self, value):
        return value or None


class ProfileSerializer(serializers.ModelSerializer):
    """The clinician's own profile. The regulator follows from the profession; interest comes from me/interests/."""

    profession = serializers.ChoiceField(choices=Profession.choices)
    regulator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    registration_number = serializers.CharField(max_length=32)
    first_registration_year = serializers.IntegerField(min_value=0, max_value=9999)
    career_stage = serializers.ChoiceField(choices=CareerStage.choices)
    specialty_training_year = serializers.IntegerField(min_value=1, max_value=8, allow_null=True, required=False)
    specialty = serializers.CharField(max_length=120, allow_blank=True, required=False)
    employer_name = serializers.CharField(max_length=200, allow_blank=True, required=False)
    employer_ods_code = serializers.CharField(max_length=10, allow_blank=True, required=False)
    region = serializers.SlugRelatedField(slug_field="slug", queryset=Region.objects.all())
    training_body = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=TrainingBody.objects.all(),
        allow_null=True,
        required=False,
        help_text="The training body you belong to; a new one is a request until its admins confirm you.",
    )
    training_body_confirmed = serializers.SerializerMethodField(
        help_text="Whether the training body's admins have confirmed you (null without a training body)."
    )
    shares_with_training_body = serializers.BooleanField(help_text="Consent to share with your training body.")
    shares_with_hee = serializers.BooleanField(help_text="Consent to share with HEE (NHS England).")
    current_interest_level = InterestLevelField(read_only=True)
    current_readiness_horizon = ReadinessHorizonField(read_only=True, allow_null=True)
    is_early_career = serializers.BooleanField(read_only=True)

    class Meta:
        model = ClinicianProfile
        fields = [
            "id",
            "profession",
            "regulator",
            "registration_number",
            "first_registration_year",
            "career_stage",
            "specialty_training_year",
            "specialty",
            "employer_name",
            "employer_ods_code",
            "region",
            "training_body",
            "training_body_confirmed",
            "shares_with_training_body",
            "shares_with_hee",
            "current_interest_level",
            "current_readiness_horizon",
            "is_early_career",
        ]
        read_only_fields = ["id", "current_interest_level", "current_readiness_horizon"]
        # The service checks the registration number is unused, without saying whose it is.
        validators: list = []

    def get_training_body_confirmed(self, profile: ClinicianProfile) -> bool | None:
        if profile.chosen_training_body is None:
            return None
        return not profile.training_body_waiting

    def to_representation(self, instance: ClinicianProfile) -> dict:
        data = super().to_representation(instance)
        # The body the clinician chose, confirmed or waiting, so what they sent is what they read back.
        chosen = instance.chosen_training_body
        data["training_body"] = chosen.slug if chosen is not None else None
        return data

    def details(self, current: ClinicianProfile | None = None) -> services.ProfileDetails:
        """The service's input: the fields sent, and for a partial update the current values of the rest."""
        data = self.validated_data
        values = {}
        for field in dataclasses.fields(services.ProfileDetails):
            if field.name in data:
                values[field.name] = data[field.name]
            elif current is not None and self.partial:
                values[field.name] = getattr(current, field.name)
        if current is not None and self.partial and "training_body" not in data:
            values["training_body"] = current.chosen_training_body
        moved = (
            current is not None and "training_body" in data and data["training_body"] != current.chosen_training_body
        )
        if moved and "shares_with_training_body" not in data:
            # Consent was given to the old body; a new body has to be asked afresh.
            values["shares_with_training_body"] = False
        return services.ProfileDetails(**values)


@extend_schema_field({"type": "array", "items": {"type": "string", "description": "A leadership role slug"}})
class LeadershipRoleSlugsField(serializers.ListField):
    """Target roles as a list of LeadershipRole slugs, resolved in one query; unknown slugs are named in the error."""

    child = serializers.SlugField(max_length=50)

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_TARGET_ROLES)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[LeadershipRole]:
        if isinstance(data, list) and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        slugs = list(dict.fromkeys(super().to_internal_value(data)))
        roles = {role.slug: role for role in LeadershipRole.objects.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in roles]
        if unknown:
            raise serializers.ValidationError(f"Unknown leadership roles: {', '.join(unknown)}.")
        return [roles[slug] for slug in slugs]

    def to_representation(self, value) -> list[str]:
        return [role.slug for role in value.all()]


class InterestRecordSerializer(serializers.ModelSerializer):
    level = InterestLevelField()
    level_label = serializers.CharField(source="get_level_display", read_only=True)
    readiness_horizon = ReadinessHorizonField()
    target_roles = LeadershipRoleSlugsField(required=False)
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False)
    corrects = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The record this one corrects (made within 24 hours of it), or null."
    )
    is_corrected = serializers.SerializerMethodField(help_text="Whether a later record corrects this one.")

    class Meta:
        model = InterestRecord
        fields = [
            "id",
            "level",
            "level_label",
            "readiness_horizon",
            "target_roles",
            "note",
            "recorded_at",
            "corrects",
            "is_corrected",
        ]
        read_only_fields = ["id", "recorded_at"]

    def get_is_corrected(self, record: InterestRecord) -> bool:
        if hasattr(record, "is_corrected"):
            return record.is_corrected
        return selectors.interest_record_is_corrected(record)


@extend_schema_field(
    {
        "type": "object",
        "description": "Dimension code → rating (1 Essential, 2 Proficient, 3 Strong, 4 Exemplary).",
        "properties": {dimension: {"type": "integer", "minimum": 1, "maximum": 4} for dimension in Dimension.values},
        "additionalProperties": False,
    }
)
class RatingsField(serializers.DictField):
    child = serializers.IntegerField(min_value=1, max_value=4)

    def to_internal_value(self, data) -> dict[str, int]:
        ratings = super().to_internal_value(data)
        unknown = sorted(set(ratings) - set(Dimension.values))
        if unknown:
            raise serializers.ValidationError(f"Unknown dimensions: {', '.join(unknown)}.")
        return ratings

    def to_representation(self, value) -> dict[str, int]:
        return {rating.dimension: rating.rating for rating in value.all()}


class SelfAssessmentSerializer(serializers.ModelSerializer):
    ratings = RatingsField(read_only=True)

    class Meta:
        model = SelfAssessment
        fields = ["id", "status", "ratings", "created_at", "updated_at", "completed_at"]
        read_only_fields = fields


class SelfAssessmentInputSerializer(serializers.Serializer):
    ratings = RatingsField(help_text="Answers to save to your draft; dimensions left out keep their answer.")
    complete = serializers.BooleanField(
        default=False, help_text="Finish the draft after saving (every dimension must then be rated)."
    )


class ExperienceSerializer(serializers.ModelSerializer):
    level = RoleLevelField(read_only=True)

    class Meta:
        model = LeadershipExperience
        fields = ["id", "role", "organisation", "level", "start_date", "end_date"]
        read_only_fields = fields


class AppointmentSerializer(serializers.ModelSerializer):
    """One of your leadership roles (your recorded appointments). The service checks the dates: the end on or after
    the start, the start at most a year from today, no overlap with another of your roles at the same organisation."""

    level = RoleLevelField()
    end_date = serializers.DateField(
        allow_null=True, required=False, help_text="Leave out (or null) while you are still in this role."
    )

    class Meta:
        model = LeadershipExperience
        fields = ["id", "role", "organisation", "level", "start_date", "end_date"]
        read_only_fields = ["id"]
        # The overlap and date rules live in the service (one place for pages and the API), not in model validation.
        validators: list = []


class QualificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Qualification
        fields = ["id", "kind", "title", "awarding_body", "year_awarded"]
        read_only_fields = fields


class ClinicianSerializer(serializers.ModelSerializer):
    """A clinician as training-body admins and HEE staff see them in a list. Never any equality data."""

    full_name = serializers.CharField(read_only=True)
    regulator = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    training_body = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    current_interest_level = InterestLevelField(read_only=True)
    current_readiness_horizon = ReadinessHorizonField(read_only=True, allow_null=True)
    is_early_career = serializers.BooleanField(read_only=True)

    class Meta:
        model = ClinicianProfile
        fields = [
            "id",
            "full_name",
            "profession",
            "regulator",
            "registration_number",
            "first_registration_year",
            "career_stage",
            "specialty_training_year",
            "specialty",
            "employer_name",
            "employer_ods_code",
            "region",
            "training_body",
            "current_interest_level",
            "current_readiness_horizon",
            "is_early_career",
        ]
        read_only_fields = fields


class ClinicianDetailSerializer(ClinicianSerializer):
    """One clinician: the profile, interest timeline, latest completed self-assessment, experience and
    qualifications. Never any equality data."""

    interests = InterestRecordSerializer(source="interest_records", many=True, read_only=True)
    latest_assessment = serializers.SerializerMethodField()
    experiences = ExperienceSerializer(many=True, read_only=True)
    qualifications = QualificationSerializer(many=True, read_only=True)

    class Meta(ClinicianSerializer.Meta):
        fields = [*ClinicianSerializer.Meta.fields, "interests", "latest_assessment", "experiences", "qualifications"]
        read_only_fields = fields

    @extend_schema_field(SelfAssessmentSerializer(allow_null=True))
    def get_latest_assessment(self, profile: ClinicianProfile) -> dict | None:
        completed = profile.completed_assessments
        return SelfAssessmentSerializer(completed[0]).data if completed else None


# --- Views: the signed-in clinician ----------------------------------------------------------------------------------


class EditMyProfileView(OwnProfileMixin, APIView):
    """The signed-in clinician's own profile."""

    @extend_schema(responses={200: ProfileSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request):
        return Response(ProfileSerializer(self.own_profile()).data)

    @extend_schema(request=ProfileSerializer, responses={201: ProfileSerializer, **ERROR_RESPONSES, **CONFLICT})
    def post(self, request):
        if selectors.profile_of(request.user) is not None:
            raise Conflict("You already have a profile. Change it with PUT or PATCH.")
        serializer = ProfileSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = services.profile_create(user=request.user, details=serializer.details())
        return Response(ProfileSerializer(selectors.profile_of(profile.user)).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ProfileSerializer, responses={200: ProfileSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def put(self, request):
        return self._update(request, partial=False)

    @extend_schema(request=ProfileSerializer, responses={200: ProfileSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def patch(self, request):
        return self._update(request, partial=True)

    def _update(self, request, *, partial: bool):
        profile = self.own_profile()
        serializer = ProfileSerializer(profile, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        services.profile_update(profile=profile, details=serializer.details(current=profile))
        return Response(ProfileSerializer(selectors.profile_of(request.user)).data)


class ListMyInterestsView(OwnProfileMixin, generics.ListCreateAPIView):
    """The signed-in clinician's leadership-interest history, newest first; POST records a new level."""

    serializer_class = InterestRecordSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InterestRecord.objects.none()
        return selectors.interest_timeline(self.own_profile()).order_by("-recorded_at", "-pk")

    @extend_schema(responses={200: InterestRecordSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=InterestRecordSerializer, responses={201: InterestRecordSerializer, **ERROR_RESPONSES, **NOT_FOUND}
    )
    def post(self, request, *args, **kwargs):
        profile = self.own_profile()
        serializer = InterestRecordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.interest_record(
            profile=profile,
            level=serializer.validated_data["level"],
            readiness_horizon=serializer.validated_data["readiness_horizon"],
            target_roles=serializer.validated_data.get("target_roles", []),
            note=serializer.validated_data.get("note", ""),
        )
        record = selectors.interest_timeline(profile).get(pk=record.pk)
        return Response(InterestRecordSerializer(record).data, status=status.HTTP_201_CREATED)


class ListMyLeadershipRolesView(OwnProfileMixin, APIView):
    """Your leadership roles (your appointments to leadership roles), most recent first; POST adds one."""

    @extend_schema(responses={200: AppointmentSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request):
        return Response(AppointmentSerializer(selectors.experiences_of(self.own_profile()), many=True).data)

    @extend_schema(
        request=AppointmentSerializer, responses={201: AppointmentSerializer, **ERROR_RESPONSES, **NOT_FOUND}
    )
    def post(self, request):
        profile = self.own_profile()
        serializer = AppointmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        experience = services.experience_save(profile=profile, **serializer.validated_data)
        return Response(AppointmentSerializer(experience).data, status=status.HTTP_201_CREATED)


LEADERSHIP_ROLE_ID = OpenApiParameter("experience_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema(parameters=[LEADERSHIP_ROLE_ID])
class EditMyLeadershipRoleView(OwnProfileMixin, APIView):
    """One of your leadership roles: PUT changes it (the same checks as adding one), DELETE removes it."""

    def experience(self, experience_id) -> LeadershipExperience:
        return selectors.experience_of(self.own_profile(), experience_id)

    @extend_schema(responses={200: AppointmentSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request, experience_id):
        return Response(AppointmentSerializer(self.experience(experience_id)).data)

    @extend_schema(
        request=AppointmentSerializer, responses={200: AppointmentSerializer, **ERROR_RESPONSES, **NOT_FOUND}
    )
    def put(self, request, experience_id):
        experience = self.experience(experience_id)
        serializer = AppointmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        experience = services.experience_save(
            profile=experience.profile, experience=experience, **serializer.validated_data
        )
        return Response(AppointmentSerializer(experience).data)

    @extend_schema(responses={204: None, **ERROR_RESPONSES, **NOT_FOUND})
    def delete(self, request, experience_id):
        experience = self.experience(experience_id)
        services.experience_delete(profile=experience.profile, experience=experience)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ListMySelfAssessmentsView(OwnProfileMixin, generics.ListAPIView):
    """The signed-in clinician's self-assessments (drafts and completed), newest first, with their ratings.

    POST saves ratings to the draft (starting one if needed) and, with `"complete": true`, finishes it. Either both
    happen or neither does.
    """

    serializer_class = SelfAssessmentSerializer
    filter_backends: list = []
    domain_error_field = "ratings"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return SelfAssessment.objects.none()
        return selectors.own_assessments(self.own_profile())

    @extend_schema(responses={200: SelfAssessmentSerializer(many=True), **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=SelfAssessmentInputSerializer,
        responses={
            200: OpenApiResponse(SelfAssessmentSerializer, description="Your existing draft was updated."),
            201: OpenApiResponse(SelfAssessmentSerializer, description="A new self-assessment was started."),
            **ERROR_RESPONSES,
            **NOT_FOUND,
            **CONFLICT,
        },
    )
    def post(self, request, *args, **kwargs):
        profile = self.own_profile()
        serializer = SelfAssessmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        had_draft = profile.self_assessments.filter(status=AssessmentStatus.DRAFT).exists()
        with transaction.atomic():
            assessment = services.self_assessment_save(profile=profile, ratings=serializer.validated_data["ratings"])
            if serializer.validated_data["complete"]:
                assessment = services.self_assessment_complete(assessment=assessment)
        assessment = selectors.own_assessments(profile).get(pk=assessment.pk)
        return Response(
            SelfAssessmentSerializer(assessment).data,
            status=status.HTTP_200_OK if had_draft else status.HTTP_201_CREATED,
        )


# --- Views: clinicians, for training-body admins and HEE staff -------------------------------------------------------


class ClinicianScopeMixin:
    """Every read goes through clinicians_visible_to: other clinicians simply do not exist (404)."""

    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.VIEW_CLINICIAN_RECORDS,)
    permission_denied_message = "Only training-body admins and HEE staff can list clinicians."
    filterset_class = ClinicianFilter

    def visible(self) -> QuerySet[ClinicianProfile]:
        if getattr(self, "swagger_fake_view", False):
            return ClinicianProfile.objects.none()
        return selectors.clinicians_visible_to(self.request.user).order_by("full_name", "user_id")


@extend_schema(
    parameters=[
        OpenApiParameter("search", str, description="Every word in the name, or the whole registration number."),
        OpenApiParameter("region", str, description="Region slug, e.g. `london`."),
        OpenApiParameter(
            "training_body", str, description="Training-body slug (training-body admins: one of their own)."
        ),
        OpenApiParameter(
            "early_career", bool, description="`true` for early-career clinicians only, `false` for the rest."
        ),
        OpenApiParameter(
            "early_interest_since",
            OpenApiTypes.DATE,
            description="Only clinicians with an early-interest signal on or after this date (YYYY-MM-DD).",
        ),
    ],
    responses={200: ClinicianSerializer(many=True), **ERROR_RESPONSES},
)
class ListCliniciansView(ClinicianScopeMixin, generics.ListAPIView):
    """Clinicians you may see (training-body admins: consenting clinicians of your body; HEE staff: clinicians who
    consented to share with HEE, in your region if you have one), filtered and paginated."""

    serializer_class = ClinicianSerializer
    pagination_class = ListTotalPagination

    def get_queryset(self):
        return self.visible()

    def filter_queryset(self, queryset):
        # As DjangoFilterBackend does, keeping the filterset: the total is read from what it was asked.
        backend = DjangoFilterBackend()
        self.filterset = backend.get_filterset(self.request, queryset, self)
        if self.filterset is None:
            return queryset
        if not self.filterset.is_valid() and backend.raise_exception:
            raise translate_validation(self.filterset.errors)
        return self.filterset.qs

    def list_total(self, clinicians) -> ListTotal:
        filterset = getattr(self, "filterset", None)
        filters = filterset.form.cleaned_data if filterset is not None and filterset.is_bound else {}
        return clinicians_list_total(user=self.request.user, filters=filters, clinicians=clinicians)


@extend_schema(
    parameters=[OpenApiParameter("profile_id", OpenApiTypes.UUID, OpenApiParameter.PATH)],
    responses={200: ClinicianDetailSerializer, **ERROR_RESPONSES, **NOT_FOUND},
)
class ShowClinicianView(ClinicianScopeMixin, generics.RetrieveAPIView):
    """One clinician you may see; each view is recorded in the audit trail. Never any equality data."""

    serializer_class = ClinicianDetailSerializer
    lookup_url_kwarg = "profile_id"
    filter_backends: list = []

    def get_queryset(self):
        return selectors.with_clinician_record(self.visible())

    def retrieve(self, request, *args, **kwargs):
        profile = self.get_object()
        audit_record(actor=request.user, action="clinician.viewed", subject=profile)
        return Response(self.get_serializer(profile).data)
