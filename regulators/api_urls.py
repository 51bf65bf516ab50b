"""The regulators app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from regulators import api

app_name = "regulators_api"

urlpatterns = [
    path("regulators/", api.ListRegulatorsView.as_view(), name="list_regulators"),
    path("guidance/", api.ListGuidanceView.as_view(), name="list_guidance"),
    path("guidance/<slug:regulator>/<slug:slug>/", api.ShowGuidanceView.as_view(), name="show_guidance"),
]
