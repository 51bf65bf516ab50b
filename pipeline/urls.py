"""The talent pipeline's pages. `show_dashboard` is HEE staff's home page."""

from django.urls import path

from pipeline import views

app_name = "pipeline"

urlpatterns = [
    path("pipeline/", views.ShowDashboardView.as_view(), name="show_dashboard"),
    path("pipeline/export/", views.ExportDashboardView.as_view(), name="export_dashboard"),
    path("pipeline/clinicians/", views.ListDrilldownView.as_view(), name="list_drilldown"),
    path("pipeline/clinicians/export/", views.ExportDrilldownView.as_view(), name="export_drilldown"),
    path("pipeline/follow-ups/", views.ShowFollowUpRatesView.as_view(), name="show_follow_up_rates"),
    path("pipeline/follow-ups/<slug:slug>/", views.ShowBodyFollowUpsView.as_view(), name="show_body_follow_ups"),
]
