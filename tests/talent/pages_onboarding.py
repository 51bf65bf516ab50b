"""Permission-matrix rows for the onboarding pages (see tests/test_permissions.py)."""

PAGES: list = []
