"""Permission-matrix rows for the pathways pages (see tests/test_permissions.py)."""

PAGES: list = []
