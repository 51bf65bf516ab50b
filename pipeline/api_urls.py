"""The talent pipeline's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from pipeline import api, api_follow_ups

app_name = "pipeline_api"

urlpatterns = [
    path("pipeline/summary/", api.ShowSummaryView.as_view(), name="show_summary"),
    path("pipeline/follow-ups/", api_follow_ups.ShowFollowUpRatesView.as_view(), name="show_follow_up_rates"),
    path(
        "pipeline/follow-ups/<slug:slug>/",
        api_follow_ups.ShowBodyFollowUpsView.as_view(),
        name="show_body_follow_ups",
    ),
]
