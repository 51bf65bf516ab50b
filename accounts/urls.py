from django.urls import path

from accounts import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("sign-up/", views.SignUpView.as_view(), name="sign_up"),
    path("sign-up/check-your-email/", views.SignUpSentView.as_view(), name="sign_up_sent"),
    path("sign-up/new-link/", views.ResendConfirmationView.as_view(), name="sign_up_resend"),
    path("sign-up/confirm/<str:token>/", views.ConfirmSignUpView.as_view(), name="sign_up_confirm"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/complete/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("training-bodies/", views.TrainingBodyListView.as_view(), name="training_body_list"),
    path("training-bodies/<slug:slug>/", views.TrainingBodyDetailView.as_view(), name="training_body_detail"),
    path("content/", views.EditorHomeView.as_view(), name="editor_home"),
]
