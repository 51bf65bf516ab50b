"""Permission-matrix rows for the home pages (see tests/test_permissions.py)."""

PAGES: list = []
