"""Permission-matrix rows for the home pages (see tests/test_permissions.py).

`talent:show_clinician_home` keeps its row in tests/test_permissions.py (clinicians with a profile: 200; others:
403). A clinician without a profile is redirected to onboarding: see tests/talent/test_home.py.
"""

PAGES: list = []
