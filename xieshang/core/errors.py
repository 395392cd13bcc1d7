"""Domain errors raised by services. Views show them as messages; the API answers 400, or 403 for
code "permission_denied" and 409 for ConcurrentChange."""

from __future__ import annotations


class DomainError(Exception):
    """A request that the rules refuse: the message is shown to the user as it is."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class TransitionNotAllowed(DomainError):
    """The object is not in a state from which this action is allowed."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="transition_not_allowed")


class ConcurrentChange(DomainError):
    """Someone else changed the object first."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="concurrent_change")
