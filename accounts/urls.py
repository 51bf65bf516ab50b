from django.urls import path

from accounts import mfa_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.ShowHomeView.as_view(), name="show_home"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("signed-out/", views.ShowSignedOutView.as_view(), name="show_signed_out"),
    path("sign-up/", views.SignUpView.as_view(), name="sign_up"),
    path("sign-up/check-your-email/", views.ShowSignUpSentView.as_view(), name="show_sign_up_sent"),
    path("sign-up/new-link/", views.ResendConfirmationView.as_view(), name="resend_confirmation"),
    path("sign-up/confirm/<str:token>/", views.ConfirmSignUpView.as_view(), name="confirm_sign_up"),
    path("account/password/", views.ChangePasswordView.as_view(), name="change_password"),
    path("account/api-tokens/", views.ListApiTokensView.as_view(), name="list_api_tokens"),
    path("account/api-tokens/<str:token_key>/revoke/", views.RevokeApiTokenView.as_view(), name="revoke_api_token"),
    path("password-reset/", views.ResetPasswordView.as_view(), name="reset_password"),
    path("password-reset/sent/", views.ShowPasswordResetSentView.as_view(), name="show_password_reset_sent"),
    path(
        "password-reset/complete/", views.ShowPasswordResetCompleteView.as_view(), name="show_password_reset_complete"
    ),
    path("password-reset/<uidb64>/<token>/", views.ChooseNewPasswordView.as_view(), name="choose_new_password"),
    path("training-bodies/", views.ListTrainingBodiesView.as_view(), name="list_training_bodies"),
    path("training-bodies/<slug:slug>/", views.ShowTrainingBodyView.as_view(), name="show_training_body"),
    path("content/", views.ShowEditorHomeView.as_view(), name="show_editor_home"),
    # The second factor (accounts/mfa.py).
    path("sign-in/set-up-authenticator/", mfa_views.SetUpAuthenticatorView.as_view(), name="set_up_authenticator"),
    path("sign-in/security-code/", mfa_views.VerifySecondFactorView.as_view(), name="verify_second_factor"),
    path("sign-in/recovery-codes/", mfa_views.ShowNewRecoveryCodesView.as_view(), name="show_new_recovery_codes"),
    path("account/sign-in-security/", mfa_views.ShowSignInSecurityView.as_view(), name="show_sign_in_security"),
    path(
        "account/sign-in-security/recovery-codes/",
        mfa_views.RenewRecoveryCodesView.as_view(),
        name="renew_recovery_codes",
    ),
    path(
        "account/sign-in-security/turn-off/",
        mfa_views.TurnOffSecondFactorView.as_view(),
        name="turn_off_second_factor",
    ),
]
