"""Refusing passwords that attackers try first: those seen most often in breaches."""

import string
from pathlib import Path

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
        return "This password is too common: it is one of the passwords most often found in data breaches."

    def get_help_text(self) -> str:
        return "Your password cannot be one of the passwords most often found in data breaches."
