"""Permission-matrix rows for the api pages (see tests/test_permissions.py)."""

PAGES: list = []
