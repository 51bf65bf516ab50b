from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm

from accounts import selectors
from accounts.emails import normalise_email
from accounts.models import NudgeFrequency, TrainingBody, User

EMAIL_ERRORS = {
    "required": "Enter your email address",
    "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
    "max_length": "Email address must be 254 characters or fewer",
}


class NormalisedEmailField(forms.EmailField):
    """An address in the one form accounts are stored and found under (accounts/emails.py), normalised before it
    is checked, so a look-alike letter is judged as the letter it stands for."""

    def to_python(self, value) -> str:
        return normalise_email(super().to_python(value))


def email_field(**kwargs) -> forms.EmailField:
    """The email question as every form asks it (254 characters is the most an address can have)."""
    return NormalisedEmailField(
        label="Email address",
        max_length=254,
        error_messages=EMAIL_ERRORS,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        **kwargs,
    )


class SignInForm(AuthenticationForm):
    username = email_field()
    password = forms.CharField(
        label="Password",
        strip=False,
        error_messages={"required": "Enter your password"},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive apart from the email.",
        "inactive": "This account is not active.",
        "unconfirmed": "You need to confirm your email address before you can sign in. "
        "Follow the link in the email we sent you, or ask for a new link.",
    }

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            # The backend refuses inactive accounts without saying why; tell the person who knows the
            # password that the account only waits for email confirmation.
            user = selectors.unconfirmed_account_for(self.cleaned_data.get("username", ""))
            if user is not None and user.check_password(self.cleaned_data.get("password")):
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from None
            raise


PASSWORD_MISMATCH = "The passwords do not match: enter the same password in both boxes"


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = email_field(help_text="Use your work email address. We will send you a link to confirm it.")
    password1 = forms.CharField(
        label="Create a password",
        strip=False,
        error_messages={"required": "Create a password"},
        help_text="At least 12 characters. Avoid common passwords and ones that look like your name or email.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        error_messages={"required": "Enter your password again to confirm it"},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        # Every problem at once: what is wrong with the password by the password, a mismatch by the confirmation.
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        if password1 and password2 and password1 != password2:
            self.add_error("password2", PASSWORD_MISMATCH)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = email_field()


class ResetPasswordForm(forms.Form):
    """The address to send a reset link to. What happens next (accounts.services.password_reset_request_later) is
    the same whether or not it has an account."""

    email = email_field()


class NudgeFrequencyForm(forms.ModelForm):
    nudge_frequency = forms.ChoiceField(
        label="How often should we email you about clinicians showing early leadership interest?",
        choices=NudgeFrequency.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TrainingBody
        fields = ["nudge_frequency"]


NEW_PASSWORD_HINT = "At least 12 characters. Avoid common passwords and ones that look like your name or email."


class ChooseNewPasswordForm(SetPasswordForm):
    """Choosing a new password, in the same words as sign-up."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].help_text = NEW_PASSWORD_HINT
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].help_text = ""
        self.fields["new_password2"].error_messages["required"] = "Enter your new password again to confirm it"

    def clean(self):
        # As Django's, but every problem at once: strength by the new password, where it belongs, and a mismatch by
        # the confirmation (Django checks strength only once the two match).
        self.validate_passwords("new_password1", "new_password2")
        if self.cleaned_data.get("new_password1"):
            self.validate_password_for_user(self.user, "new_password1")
        return forms.Form.clean(self)


class ChangePasswordForm(ChooseNewPasswordForm, PasswordChangeForm):
    error_messages = {
        **ChooseNewPasswordForm.error_messages,
        "password_incorrect": "Your current password is not right. Enter it again.",
    }

    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        self.fields["old_password"].widget.attrs.pop("autofocus", None)


class AuthenticatorCodeForm(forms.Form):
    """The code an authenticator app shows (setting one up, or turning it off)."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=64,
        error_messages={"required": "Enter the code from your authenticator app"},
        help_text="The 6-digit code the app shows for Leadership Talent Tracker.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
    )


class SecondFactorForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        max_length=64,
        error_messages={"required": "Enter the code from your authenticator app, or a recovery code"},
        help_text="The 6-digit code your authenticator app shows now. Lost your phone? Enter one of your recovery "
        "codes instead.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "class": "nhsuk-input--width-10"}
        ),
    )
    remember = forms.BooleanField(required=False)

    def __init__(self, *args, remember_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        if remember_days > 0:
            self.fields["remember"].label = f"Remember this device for {remember_days} days"
            self.fields["remember"].help_text = "Only on a device that you alone use."
        else:
            del self.fields["remember"]
