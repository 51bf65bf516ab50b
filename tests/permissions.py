"""The permission matrix's vocabulary. Rows live in tests/test_permissions.py and tests/talent/pages_*.py."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Page:
    url_name: str
    expect: dict[str, int]
    method: str = "get"
    # URL kwarg -> "fixture.attribute.path", looked up per test so ids are never hard-coded,
    # e.g. {"profile_id": "clinician.clinician_profile.pk"}.
    kwargs: dict[str, str] = field(default_factory=dict)
    literal_kwargs: dict[str, str] = field(default_factory=dict)


SIGNED_IN_GO_HOME = {"anonymous": 200, "*": 302}
EVERYONE = {"anonymous": 200, "*": 200}
SIGNED_IN_ONLY = {"anonymous": 302, "*": 200}
