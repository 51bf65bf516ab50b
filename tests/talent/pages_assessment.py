"""Permission-matrix rows for the assessment pages (see tests/test_permissions.py)."""

PAGES: list = []
