"""The talent app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from talent.api import clinicians as api
from talent.api import nominations as nominations_api
from talent.api import nudges as nudges_api

urlpatterns = [
    path("me/profile/", api.MeProfileView.as_view(), name="api_me_profile"),
    path("me/interests/", api.MeInterestsView.as_view(), name="api_me_interests"),
    path("me/self-assessments/", api.MeSelfAssessmentsView.as_view(), name="api_me_self_assessments"),
    path("clinicians/", api.ClinicianListView.as_view(), name="api_clinician_list"),
    path("clinicians/<str:profile_id>/", api.ClinicianDetailView.as_view(), name="api_clinician_detail"),
    path("nominations/", nominations_api.NominationListCreateView.as_view(), name="api_nomination_list"),
    path(
        "nominations/<uuid:nomination_id>/",
        nominations_api.NominationDetailView.as_view(),
        name="api_nomination_detail",
    ),
    path(
        "nominations/<uuid:nomination_id>/accept/",
        nominations_api.NominationAcceptView.as_view(),
        name="api_nomination_accept",
    ),
    path(
        "nominations/<uuid:nomination_id>/decline/",
        nominations_api.NominationDeclineView.as_view(),
        name="api_nomination_decline",
    ),
    path(
        "nominations/<uuid:nomination_id>/withdraw/",
        nominations_api.NominationWithdrawView.as_view(),
        name="api_nomination_withdraw",
    ),
    path(
        "nominations/<uuid:nomination_id>/approve/",
        nominations_api.NominationApproveView.as_view(),
        name="api_nomination_approve",
    ),
    path(
        "nominations/<uuid:nomination_id>/reject/",
        nominations_api.NominationRejectView.as_view(),
        name="api_nomination_reject",
    ),
    path("nudges/", nudges_api.NudgeListView.as_view(), name="api_nudge_list"),
    path("nudges/<uuid:nudge_id>/", nudges_api.NudgeDetailView.as_view(), name="api_nudge_detail"),
]
