"""Permission-matrix rows for the data_rights pages (see tests/test_permissions.py)."""

PAGES: list = []
