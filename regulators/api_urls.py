"""The regulators app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from regulators import api

urlpatterns = [
    path("regulators/", api.RegulatorListView.as_view(), name="api_regulator_list"),
    path("guidance/", api.GuidanceListView.as_view(), name="api_guidance_list"),
    path("guidance/<slug:regulator>/<slug:slug>/", api.GuidanceDetailView.as_view(), name="api_guidance_detail"),
]
