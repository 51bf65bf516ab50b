"""The permission matrix's vocabulary. Rows live in tests/test_permissions.py and tests/<app>/pages_*.py.

A page that needs a permission names it, and who may reach it comes from `accounts.permissions.ROLE_PERMISSIONS`, so
the table and the matrix cannot drift apart: roles whose permissions lack it get `denied` (403, the page is not for
them), anonymous people are sent to sign in (302; API rows say 401), and roles that hold it get 200 unless `expect`
says otherwise for one of them (404 for an object outside their scope, 400 for a bad request...). A page anyone may
use names no permission and says in `expect` what each person gets ("*": any signed-in role not named).
"""

from dataclasses import dataclass, field

from accounts.models import Role
from accounts.permissions import ROLE_PERMISSIONS, Permission

# The matrix's people (fixtures in tests/conftest.py) and their roles.
ROLE_OF: dict[str, Role] = {
    "clinician": Role.CLINICIAN,
    "other_clinician": Role.CLINICIAN,
    "tb_admin": Role.TRAINING_BODY_ADMIN,
    "other_tb_admin": Role.TRAINING_BODY_ADMIN,
    "hee_staff": Role.HEE_STAFF,
    "regional_hee_staff": Role.HEE_STAFF,
    "editor": Role.CONTENT_EDITOR,
}


@dataclass(frozen=True)
class Page:
    url_name: str
    expect: dict[str, int] = field(default_factory=dict)
    method: str = "get"
    # URL kwarg -> "fixture.attribute.path", looked up per test so ids are never hard-coded,
    # e.g. {"profile_id": "clinician.clinician_profile.pk"}.
    kwargs: dict[str, str] = field(default_factory=dict)
    literal_kwargs: dict[str, str] = field(default_factory=dict)
    # What the page asks of a role (any one of several will do, as the API's `required_permissions`).
    permission: Permission | tuple[Permission, ...] | None = None
    denied: int = 403

    @property
    def permissions(self) -> tuple[Permission, ...]:
        if self.permission is None:
            return ()
        return self.permission if isinstance(self.permission, tuple) else (self.permission,)

    def allows(self, who: str) -> bool:
        """Whether the role of this person of the matrix may use the page at all, by the permission table."""
        return who in ROLE_OF and any(permission in ROLE_PERMISSIONS[ROLE_OF[who]] for permission in self.permissions)

    def expected_status(self, who: str) -> int:
        if self.permission is None:
            return self.expect.get(who, self.expect["*"])
        if who == "anonymous":
            return self.expect.get("anonymous", 302)
        if not self.allows(who):
            return self.denied
        return self.expect.get(who, self.expect.get("*", 200))


SIGNED_IN_GO_HOME = {"anonymous": 200, "*": 302}
EVERYONE = {"anonymous": 200, "*": 200}
SIGNED_IN_ONLY = {"anonymous": 302, "*": 200}
# Token authentication asks anonymous callers for credentials.
API = {"anonymous": 401}
