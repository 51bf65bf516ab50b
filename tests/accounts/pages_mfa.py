"""The second factor's pages in the permission matrix (tests/test_permissions.py). Staff are signed in as after their
second factor (tests/mfa.py); clinicians of the matrix have not turned it on."""

from accounts.permissions import Permission
from tests.permissions import SIGNED_IN_ONLY, Page

# Sent on: nothing to verify (clinicians) or already verified (staff); no new codes to show.
SIGNED_IN_SENT_ON = {"anonymous": 302, "*": 302}

PAGES = [
    Page("accounts:set_up_authenticator", SIGNED_IN_ONLY),
    Page("accounts:verify_second_factor", SIGNED_IN_SENT_ON),
    Page("accounts:show_new_recovery_codes", SIGNED_IN_SENT_ON),
    Page("accounts:show_sign_in_security", SIGNED_IN_ONLY),
    # Staff get new codes; the matrix's clinicians have no authenticator, so are sent back with a message.
    Page("accounts:renew_recovery_codes", SIGNED_IN_SENT_ON, method="post"),
    # The matrix's clinicians have nothing to turn off, so are sent back to Sign-in security.
    Page(
        "accounts:turn_off_second_factor",
        {"clinician": 302, "other_clinician": 302},
        permission=Permission.TURN_OFF_OWN_SECOND_FACTOR,
    ),
]
