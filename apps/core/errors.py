"""The errors services raise. They know nothing of HTTP: `status` is only the answer the API's
exception handler (apps.core.exception_handlers) gives them; the admin and the web pages show
their message instead."""

from .error_codes import ErrorCode


class ServiceError(Exception):
    """A business rule refused the request."""

    status = 400
    code = ErrorCode.INVALID_REQUEST

    def __init__(self, message: str, *, code: str | None = None, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.code = str(code or self.code)
        self.details = details or {}


class InvalidInput(ServiceError):
    """Input a serializer could not know was wrong (e.g. the mandatory knowledge step, an id of
    another workspace). The message starts with the field's name."""

    status = 400
    code = ErrorCode.VALIDATION_ERROR

    @classmethod
    def field(cls, field: str, problem: str, **kwargs) -> "InvalidInput":
        """`field: problem`, with the field named in `details` too."""
        return cls(f"{field}: {problem}", details={field: [problem]}, **kwargs)


class OwnerDecision(ServiceError):
    """A decision only the owner makes (approving, rejecting, answering, reviewing), asked for by an
    agent. The message names the page where the owner decides."""

    status = 403
    code = ErrorCode.OWNER_DECISION


class NotFound(ServiceError):
    status = 404
    code = ErrorCode.NOT_FOUND


class Conflict(ServiceError):
    """The entity is not in a state that allows this (an illegal state transition, a lost race)."""

    status = 409
    code = ErrorCode.CONFLICT
