from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import NudgeFrequency, TrainingBody, User


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "spellcheck": "false"}),
    )
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
            user = User.objects.filter(email__iexact=self.cleaned_data.get("username", "")).first()
            password = self.cleaned_data.get("password")
            if user and not user.is_active and user.email_confirmed_at is None and user.check_password(password):
                raise forms.ValidationError(self.error_messages["unconfirmed"], code="unconfirmed") from None
            raise


class SignUpForm(forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        error_messages={"required": "Enter your full name"},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
        },
        help_text="Use your work email address. We will send you a link to confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
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

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", "The passwords do not match")
        elif password1:
            candidate = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.nhs.uk",
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class NudgeFrequencyForm(forms.ModelForm):
    nudge_frequency = forms.ChoiceField(
        label="How often should we email you about clinicians showing early leadership interest?",
        choices=NudgeFrequency.choices,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = TrainingBody
        fields = ["nudge_frequency"]
