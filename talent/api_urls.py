"""The talent app's API endpoints, mounted under /api/v1/ by config/api_urls.py."""

from django.urls import path

from talent.api import clinicians as api
from talent.api import conversations as conversations_api
from talent.api import feedback as feedback_api
from talent.api import followups as followups_api
from talent.api import licence as licence_api
from talent.api import mentoring as mentoring_api
from talent.api import nominations as nominations_api
from talent.api import nudges as nudges_api
from talent.api import plans as plans_api
from talent.api import pools as pools_api
from talent.api import succession as succession_api

app_name = "talent_api"

urlpatterns = [
    path("me/profile/", api.EditMyProfileView.as_view(), name="edit_my_profile"),
    path("me/interests/", api.ListMyInterestsView.as_view(), name="list_my_interests"),
    path("me/self-assessments/", api.ListMySelfAssessmentsView.as_view(), name="list_my_self_assessments"),
    path("me/leadership-roles/", api.ListMyLeadershipRolesView.as_view(), name="list_my_leadership_roles"),
    path(
        "me/leadership-roles/<uuid:experience_id>/",
        api.EditMyLeadershipRoleView.as_view(),
        name="edit_my_leadership_role",
    ),
    path("me/feedback-rounds/", feedback_api.ListFeedbackRoundsView.as_view(), name="list_my_feedback_rounds"),
    path(
        "me/feedback-rounds/<uuid:round_id>/",
        feedback_api.ShowFeedbackRoundView.as_view(),
        name="show_my_feedback_round",
    ),
    path(
        "me/feedback-rounds/<uuid:round_id>/close/",
        feedback_api.CloseFeedbackRoundView.as_view(),
        name="close_my_feedback_round",
    ),
    path("clinicians/", api.ListCliniciansView.as_view(), name="list_clinicians"),
    path("clinicians/<str:profile_id>/", api.ShowClinicianView.as_view(), name="show_clinician"),
    path("nominations/", nominations_api.ListNominationsView.as_view(), name="list_nominations"),
    path(
        "nominations/<uuid:nomination_id>/",
        nominations_api.ShowNominationView.as_view(),
        name="show_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/accept/",
        nominations_api.AcceptNominationView.as_view(),
        name="accept_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/decline/",
        nominations_api.DeclineNominationView.as_view(),
        name="decline_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/withdraw/",
        nominations_api.WithdrawNominationView.as_view(),
        name="withdraw_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/approve/",
        nominations_api.ApproveNominationView.as_view(),
        name="approve_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/reject/",
        nominations_api.RejectNominationView.as_view(),
        name="reject_nomination",
    ),
    path(
        "nominations/<uuid:nomination_id>/outcome/",
        nominations_api.RecordNominationOutcomeView.as_view(),
        name="record_nomination_outcome",
    ),
    path("nudges/", nudges_api.ListNudgesView.as_view(), name="list_nudges"),
    path("nudges/<uuid:nudge_id>/", nudges_api.ShowNudgeView.as_view(), name="show_nudge"),
    path("me/licence-plan/", licence_api.MyLicencePlanView.as_view(), name="edit_my_licence_plan"),
    path("me/plan/", plans_api.ShowMyPlanView.as_view(), name="show_my_plan"),
    path("me/plan/goals/", plans_api.AddMyPlanGoalView.as_view(), name="add_my_plan_goal"),
    path("me/plan/reviews/", plans_api.AddMyPlanReviewView.as_view(), name="add_my_plan_review"),
    path("mentoring/offers/", mentoring_api.ListMentoringOffersView.as_view(), name="list_mentoring_offers"),
    path("mentoring/requests/", mentoring_api.ListMentoringRequestsView.as_view(), name="list_mentoring_requests"),
    path(
        "mentoring/requests/<uuid:request_id>/",
        mentoring_api.ShowMentoringRequestView.as_view(),
        name="show_mentoring_request",
    ),
    path(
        "mentoring/requests/<uuid:request_id>/accept/",
        mentoring_api.AcceptMentoringRequestView.as_view(),
        name="accept_mentoring_request",
    ),
    path(
        "mentoring/requests/<uuid:request_id>/decline/",
        mentoring_api.DeclineMentoringRequestView.as_view(),
        name="decline_mentoring_request",
    ),
    path(
        "mentoring/requests/<uuid:request_id>/withdraw/",
        mentoring_api.WithdrawMentoringRequestView.as_view(),
        name="withdraw_mentoring_request",
    ),
    path(
        "mentoring/requests/<uuid:request_id>/end/",
        mentoring_api.EndMentoringView.as_view(),
        name="end_mentoring",
    ),
    path("follow-ups/", followups_api.ListFollowUpsView.as_view(), name="list_follow_ups"),
    path("follow-ups/<uuid:follow_up_id>/", followups_api.ShowFollowUpView.as_view(), name="show_follow_up"),
    path("follow-ups/<uuid:follow_up_id>/close/", followups_api.CloseFollowUpView.as_view(), name="close_follow_up"),
    path("conversations/", conversations_api.ListConversationsView.as_view(), name="list_conversations"),
    path(
        "conversations/<uuid:conversation_id>/",
        conversations_api.ShowConversationView.as_view(),
        name="show_conversation",
    ),
    path(
        "conversations/<uuid:conversation_id>/respond/",
        conversations_api.RespondToConversationView.as_view(),
        name="respond_to_conversation",
    ),
    path(
        "conversation-requests/",
        conversations_api.ListConversationRequestsView.as_view(),
        name="list_conversation_requests",
    ),
    path("pools/", pools_api.ListPoolsView.as_view(), name="list_pools"),
    path("pools/<uuid:pool_id>/", pools_api.ShowPoolView.as_view(), name="show_pool"),
    path("pools/<uuid:pool_id>/members/", pools_api.ListPoolMembersView.as_view(), name="list_pool_members"),
    path(
        "pools/<uuid:pool_id>/members/<uuid:membership_id>/readiness/",
        pools_api.AssessReadinessView.as_view(),
        name="assess_pool_member",
    ),
    path(
        "pools/<uuid:pool_id>/members/<uuid:membership_id>/accept/",
        pools_api.AcceptRequestView.as_view(),
        name="accept_pool_request",
    ),
    path(
        "pools/<uuid:pool_id>/members/<uuid:membership_id>/decline/",
        pools_api.DeclineRequestView.as_view(),
        name="decline_pool_request",
    ),
    path("reviews/", pools_api.ListReviewsView.as_view(), name="list_reviews"),
    path("reviews/<uuid:review_id>/", pools_api.ShowReviewView.as_view(), name="show_review"),
    path("reviews/<uuid:review_id>/ratings/", pools_api.RateMemberView.as_view(), name="rate_review_member"),
    path("reviews/<uuid:review_id>/close/", pools_api.CloseReviewView.as_view(), name="close_review"),
    path("me/pools/", pools_api.ListMyPoolsView.as_view(), name="list_my_pools"),
    path(
        "me/pools/<uuid:membership_id>/accept/",
        pools_api.AcceptInvitationView.as_view(),
        name="accept_pool_invitation",
    ),
    path(
        "me/pools/<uuid:membership_id>/decline/",
        pools_api.DeclineInvitationView.as_view(),
        name="decline_pool_invitation",
    ),
    path("me/pools/<uuid:membership_id>/leave/", pools_api.LeavePoolView.as_view(), name="leave_pool"),
    path("succession/", succession_api.ShowSuccessionView.as_view(), name="show_succession"),
]
