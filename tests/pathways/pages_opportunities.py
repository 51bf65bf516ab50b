"""Permission-matrix rows for the opportunities pages (see tests/test_permissions.py)."""

PAGES: list = []
