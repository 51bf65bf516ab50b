"""API: `succession/`, the succession table of the caller's scope (DESIGN.md section 6).

Counts only, never names: for each region and role level, the active pool members assessed ready now and ready in
1 to 2 years, by profession, with `no_ready_now` where no one is; and the backgrounds of the members counted, every
cell already suppressed by the small-number rule (strings: "*" or a rounded number). National HEE staff get every
region of England, regional HEE staff their own, training-body admins their bodies' pools (talent.selectors.succession).
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import HasRequiredPermission, Permission
from config.api import ERROR_RESPONSES
from pathways.api import ProfessionField, RoleLevelField
from talent.selectors import succession as selectors


class ProfessionFiguresSerializer(serializers.Serializer):
    profession = ProfessionField()
    label = serializers.CharField()
    members = serializers.IntegerField(help_text="Active pool members of this profession (each once).")
    ready_now = serializers.IntegerField()
    ready_1_2_years = serializers.IntegerField(help_text="Ready in 1 to 2 years and not ready now in another pool.")


class SuccessionCellSerializer(serializers.Serializer):
    role_level = RoleLevelField()
    role_level_label = serializers.CharField()
    members = serializers.IntegerField()
    ready_now = serializers.IntegerField()
    ready_1_2_years = serializers.IntegerField()
    no_ready_now = serializers.BooleanField(help_text="No pool member is ready now for this region and level.")
    professions = ProfessionFiguresSerializer(many=True)


class SuccessionRegionSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.slug")
    region_name = serializers.CharField(source="region.name")
    levels = SuccessionCellSerializer(many=True, source="cells")


class SuccessionBackgroundRowSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True, help_text="The answer's code; empty for not answered.")
    label = serializers.CharField()
    members = serializers.CharField(help_text='Suppressed: "*" or a count rounded to the nearest 5.')
    ready_now = serializers.CharField(help_text='Suppressed: "*" or a count rounded to the nearest 5.')


class SuccessionBackgroundSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    rows = SuccessionBackgroundRowSerializer(many=True)
    total_members = serializers.CharField()
    total_ready_now = serializers.CharField()


class SuccessionSerializer(serializers.Serializer):
    scope = serializers.CharField(source="description", help_text="What the figures cover, in words.")
    regions = SuccessionRegionSerializer(many=True, source="rows")
    backgrounds = SuccessionBackgroundSerializer(many=True)


class ShowSuccessionView(APIView):
    permission_classes = [IsAuthenticated, HasRequiredPermission]
    required_permissions = (Permission.VIEW_SUCCESSION,)
    permission_denied_message = "Succession figures are for HEE staff and training-body admins."

    @extend_schema(responses={200: SuccessionSerializer, **ERROR_RESPONSES})
    def get(self, request, *args, **kwargs):
        return Response(SuccessionSerializer(selectors.succession_for(user=request.user, with_backgrounds=True)).data)
