"""Permission-matrix rows for the clinicians pages (see tests/test_permissions.py)."""

PAGES: list = []
