"""API for licence-aware readiness: `me/licence-plan/` (GET your plan and its history, PUT a new choice), and the
`licence` object of each member in `pools/{id}/members/` (talent.api.pools).

Reads go through talent.selectors.licence; the plan is written by talent.services.licence only.
"""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.api import ERROR_RESPONSES, NOT_FOUND, NamedEnumField
from talent.models import LICENCE_PLAN_NOTE_MAX_LENGTH, LicencePlan, LicencePlanChoice
from talent.selectors import licence as selectors
from talent.selectors import profile_of
from talent.services import licence as service


class LicencePlanChoiceField(NamedEnumField):
    enum_name = "LicencePlanChoice"
    enum_choices = LicencePlanChoice.choices


class LicenceFlagKindField(NamedEnumField):
    enum_name = "LicenceFlagKind"
    enum_choices = [
        (selectors.LicenceFlagKind.OVERDUE.value, "Revalidation overdue"),
        (selectors.LicenceFlagKind.DUE_DURING.value, "Revalidation due during a planned programme or secondment"),
        (selectors.LicenceFlagKind.NOT_RECORDED.value, "Revalidation date not recorded"),
    ]


class DatedCommitmentSerializer(serializers.Serializer):
    # Null unless you may see the nomination (the clinician, and the admins of the body that decided it): others
    # learn only that a planned programme has these dates.
    opportunity = serializers.CharField(
        source="opportunity_slug", allow_null=True, help_text="The opportunity's slug; null unless you may see it."
    )
    title = serializers.CharField(allow_null=True, help_text="Null unless you may see the nomination.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()

    def to_representation(self, instance):
        found = super().to_representation(instance)
        if not instance.named:
            found["opportunity"] = found["title"] = None
        return found


class LicenceFlagSerializer(serializers.Serializer):
    kind = LicenceFlagKindField()
    label = serializers.CharField()
    due_on = serializers.DateField(allow_null=True)
    during = DatedCommitmentSerializer(allow_null=True, help_text="The programme or secondment it falls due in.")


class GuidanceLinkSerializer(serializers.Serializer):
    regulator = serializers.CharField(source="guidance.regulator.code")
    slug = serializers.CharField(source="guidance.slug")
    title = serializers.CharField()
    summary = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, version) -> str:
        return reverse(
            "regulators:show_guidance",
            kwargs={"regulator": version.guidance.regulator.code.lower(), "slug": version.guidance.slug},
        )


class MemberLicenceSerializer(serializers.Serializer):
    """What a pool's owners see of a member's licence: never the rest of the revalidation record, nor the plan's
    note."""

    needs_licence = serializers.BooleanField(
        help_text="Whether the member's target role (or, without one, a role of the pool's level open to their "
        "profession) needs a licence to practise."
    )
    roles = serializers.ListField(
        source="role_slugs", child=serializers.CharField(), help_text="Slugs of the roles the flags speak of."
    )
    at_risk = serializers.BooleanField(help_text="Overdue, or due during a planned programme or secondment.")
    flags = LicenceFlagSerializer(many=True)
    guidance = GuidanceLinkSerializer(many=True, help_text="The regulator's published guidance for the role.")
    licence_plan = LicencePlanChoiceField(source="plan_choice", allow_blank=True, help_text="Empty when none.")


class LicencePlanEntrySerializer(serializers.ModelSerializer):
    choice = LicencePlanChoiceField(read_only=True)

    class Meta:
        model = LicencePlan
        fields = ["choice", "note", "recorded_at"]
        read_only_fields = fields


class LicencePlanSerializer(serializers.Serializer):
    choice = LicencePlanChoiceField(allow_null=True, help_text="Null until you record one.")
    note = serializers.CharField(allow_blank=True)
    recorded_at = serializers.DateTimeField(allow_null=True)
    history = LicencePlanEntrySerializer(many=True, help_text="Earlier plans, newest first.")


class LicencePlanInputSerializer(serializers.Serializer):
    choice = LicencePlanChoiceField()
    note = serializers.CharField(
        max_length=LICENCE_PLAN_NOTE_MAX_LENGTH, required=False, allow_blank=True, help_text="Only you see it."
    )


class MyLicencePlanView(APIView):
    """Your licence plan: keep your licence and practise, keep your registration without a licence, or undecided,
    with an optional note only you see. PUT records a new plan (the old one stays in `history`). The owners of a
    talent pool you are a member of see the choice, never the note."""

    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.KEEP_LICENCE_PLAN,)
    permission_denied_message = "Only clinicians keep a licence plan."

    def _profile(self):
        profile = profile_of(self.request.user)
        if profile is None:
            raise NotFound("You have no clinician profile yet. Create it first with POST /api/v1/me/profile/.")
        return profile

    def _data(self) -> dict:
        plans = list(selectors.own_licence_plans(user=self.request.user))
        current = plans[0] if plans else None
        return LicencePlanSerializer(
            {
                "choice": current.choice if current else None,
                "note": current.note if current else "",
                "recorded_at": current.recorded_at if current else None,
                "history": plans[1:],
            }
        ).data

    @extend_schema(responses={200: LicencePlanSerializer, **ERROR_RESPONSES, **NOT_FOUND})
    def get(self, request):
        self._profile()
        return Response(self._data())

    @extend_schema(
        request=LicencePlanInputSerializer, responses={200: LicencePlanSerializer, **ERROR_RESPONSES, **NOT_FOUND}
    )
    def put(self, request):
        profile = self._profile()
        serializer = LicencePlanInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        service.licence_plan_record(
            profile=profile, choice=data["choice"], note=data.get("note", ""), actor=request.user
        )
        return Response(self._data())
