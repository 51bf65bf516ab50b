"""The one exception type for broken business rules.

Services raise it; views show it as a form error and the API answers 400 (or 409 for a conflict): config.api.
"""


class DomainError(Exception):
    def __init__(self, message: str, *, field: str | None = None, conflict: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.conflict = conflict
