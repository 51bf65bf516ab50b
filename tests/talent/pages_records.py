"""Permission-matrix rows for the records pages (see tests/test_permissions.py)."""

PAGES: list = []
