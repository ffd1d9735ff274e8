"""AWS-named service errors: the one exception tree every front end maps to its medium.

Each class is named after the error code of the ssm-contacts model and carries that code's
members (``Reason`` and ``Fields`` for validation, ``ResourceId``/``ResourceType`` for missing
resources, ``DependentEntities`` for conflicts...). ``.response`` has the shape boto3 gives a
``ClientError``: ``{"Error": {"Code": ..., "Message": ...}, **members}``.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ServiceError(Exception):
    """An error the service answers with, named by its AWS error code.

    ``members`` holds the modelled members of the error shape other than ``Message``, in the
    order the model lists them; absent members are left out.
    """

    code: ClassVar[str] = "ServiceError"
    http_status: ClassVar[int] = 400

    def __init__(self, message: str, **members: Any) -> None:
        super().__init__(message)
        self.message = message
        self.members = {k: v for k, v in members.items() if v is not None}

    @property
    def response(self) -> dict[str, Any]:
        """The error as boto3 shows it on ``ClientError.response``."""
        return {"Error": {"Code": self.code, "Message": self.message}, **self.members}

    def wire_body(self) -> dict[str, object]:
        """The error as an AWS JSON 1.1 response body."""
        return {"__type": self.code, "Message": self.message, **self.members}

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ValidationException(ServiceError):
    """The request breaks a field constraint or a rule of the service.

    ``reason`` is one of UNKNOWN_OPERATION, CANNOT_PARSE, FIELD_VALIDATION_FAILED, OTHER;
    ``fields`` lists ``{"Name": <member path>, "Message": ...}`` for field errors.
    """

    code = "ValidationException"

    def __init__(
        self,
        message: str,
        reason: str = "OTHER",
        fields: list[dict[str, str]] | None = None,
    ) -> None:
        super().__init__(message, Reason=reason, Fields=fields or None)

    @classmethod
    def for_fields(cls, fields: list[dict[str, str]]) -> ValidationException:
        """A FIELD_VALIDATION_FAILED error listing every field problem, AWS style."""
        count = len(fields)
        noun = "error" if count == 1 else "errors"
        detail = "; ".join(f["Message"] for f in fields)
        return cls(
            f"{count} validation {noun} detected: {detail}", "FIELD_VALIDATION_FAILED", fields
        )


def error_line(code: str, operation: str, message: str) -> str:
    """An AWS error in the AWS CLI's (and botocore's) words: ``An error occurred (<Code>) when
    calling the <Operation> operation: <message>``."""
    return f"An error occurred ({code}) when calling the {operation} operation: {message}"


def field_error(path: str, message: str) -> ValidationException:
    """A validation error about one field, naming its path."""
    return ValidationException.for_fields([{"Name": path, "Message": message}])


class ResourceNotFoundException(ServiceError):
    """A referenced resource does not exist in the request's account and region."""

    code = "ResourceNotFoundException"

    def __init__(self, message: str, resource_id: str, resource_type: str) -> None:
        super().__init__(message, ResourceId=resource_id, ResourceType=resource_type)


class ConflictException(ServiceError):
    """The change would leave resources inconsistent (duplicate alias, a rotation member...)."""

    code = "ConflictException"

    def __init__(
        self,
        message: str,
        resource_id: str,
        resource_type: str,
        dependent_entities: list[dict[str, object]] | None = None,
    ) -> None:
        super().__init__(
            message,
            ResourceId=resource_id,
            ResourceType=resource_type,
            DependentEntities=dependent_entities,
        )


class ServiceQuotaExceededException(ServiceError):
    """A quota of the account would be exceeded."""

    code = "ServiceQuotaExceededException"

    def __init__(
        self,
        message: str,
        quota_code: str,
        resource_id: str | None = None,
        resource_type: str | None = None,
    ) -> None:
        super().__init__(
            message,
            ResourceId=resource_id,
            ResourceType=resource_type,
            QuotaCode=quota_code,
            ServiceCode="ssm-contacts",
        )


class ThrottlingException(ServiceError):
    """The request rate limit (off unless asked for) was exceeded."""

    code = "ThrottlingException"

    def __init__(self, message: str, retry_after_seconds: int | None = None) -> None:
        super().__init__(message, ServiceCode="ssm-contacts", RetryAfterSeconds=retry_after_seconds)


class InternalServerException(ServiceError):
    """An unexpected failure inside escsim (a bug); HTTP 500 on the wire."""

    code = "InternalServerException"
    http_status = 500


class AccessDeniedException(ServiceError):
    """The caller may not perform the request."""

    code = "AccessDeniedException"


class DataEncryptionException(ServiceError):
    """Modelled by AWS for key errors; escsim raises it for nothing today."""

    code = "DataEncryptionException"


ERROR_CLASSES: dict[str, type[ServiceError]] = {
    cls.code: cls
    for cls in (
        ValidationException,
        ResourceNotFoundException,
        ConflictException,
        ServiceQuotaExceededException,
        ThrottlingException,
        InternalServerException,
        AccessDeniedException,
        DataEncryptionException,
    )
}
