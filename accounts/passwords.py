"""Password rules (AUTH_PASSWORD_VALIDATORS), in plain words in the NHS.UK style rather than Django's: refusing
passwords that attackers try first (those seen most often in breaches), short ones, ones like the person's name or
email address, and ones of numbers only."""

import string
from pathlib import Path

from django.contrib.auth import password_validation
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError

BREACHED_PASSWORDS = Path(__file__).resolve().parent / "data" / "ncsc-100k-passwords.txt.gz"
# Shorter stems are too likely to be chance (a random password that happens to start with "a" and end in digits).
SHORTEST_STEM = 4


class BreachedPasswordValidator(CommonPasswordValidator):
    """Django's check against a list (ours: NCSC's 100,000 most breached passwords, accounts/data/README.md), also
    refusing a listed password with only symbols or digits added at the end ("Password123!", "Welcome2026!"):
    attackers' lists try those variants first, and adding them is what people do to pass the length rule."""

    def __init__(self, password_list_path: str | Path = BREACHED_PASSWORDS) -> None:
        super().__init__(password_list_path=password_list_path)

    def validate(self, password: str, user=None) -> None:
        lowered = password.lower().strip()
        candidates = {
            lowered,
            lowered.rstrip(string.punctuation + string.whitespace),
            lowered.rstrip(string.punctuation + string.whitespace + string.digits),
        }
        if any(
            candidate in self.passwords
            for candidate in candidates
            if candidate == lowered or len(candidate) >= SHORTEST_STEM
        ):
            raise ValidationError(self.get_error_message(), code="password_too_common")

    def get_error_message(self) -> str:
        return "Password is too common: it is one of the passwords most often found in data breaches"

    def get_help_text(self) -> str:
        return "Your password cannot be one of the passwords most often found in data breaches."


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Password must be {self.min_length} characters or more"

    def get_help_text(self) -> str:
        return f"Your password must be {self.min_length} characters or more."


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self) -> str:
        # One message for either (Django would name the field: "full name"); people think of both together.
        return "Password must not be like your name or email address"

    def get_help_text(self) -> str:
        return "Your password must not be like your name or email address."


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return "Password must include letters or symbols, not only numbers"

    def get_help_text(self) -> str:
        return "Your password must include letters or symbols, not only numbers."
