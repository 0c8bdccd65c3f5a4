"""Domain exceptions raised by operations and turned into clear messages by views."""


class CaseFlowError(Exception):
    """Base class of every refusal an operation can raise."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class WorkflowError(CaseFlowError):
    """A transition was refused: wrong state, role or an unmet guard."""


class AccessDeniedError(CaseFlowError):
    """The user may not do this to this case."""


class ValidationError(CaseFlowError):
    """Input was rejected; nothing was written."""


class ConflictOfInterestError(CaseFlowError):
    """The user is a subject of, or declared a conflict on, the case."""
