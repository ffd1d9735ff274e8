"""Errors of the HTTP layer itself, AWS-shaped like the service's: refused before an operation runs.

They join the ``engine.errors.ServiceError`` tree so that one function writes every error body
(``{"__type": ..., "Message": ...}``); none of them is an ssm-contacts model error, so botocore
reports them as a plain ``ClientError`` carrying the code.
"""

from __future__ import annotations

from engine.errors import ServiceError


class UnknownOperationException(ServiceError):
    """``X-Amz-Target`` names no ssm-contacts operation (or is missing)."""

    code = "UnknownOperationException"


class SerializationException(ServiceError):
    """The body is not UTF-8 JSON, or not a JSON object."""

    code = "SerializationException"


class BadRequestException(ServiceError):
    """The HTTP request itself is malformed (request line, framing, Content-Length)."""

    code = "BadRequestException"


class NotFoundException(ServiceError):
    """Nothing is served at the request's path."""

    code = "NotFoundException"
    http_status = 404


class MethodNotAllowedException(ServiceError):
    """The path exists but not for the request's method; ``allow`` lists the methods it takes."""

    code = "MethodNotAllowedException"
    http_status = 405

    def __init__(self, message: str, allow: tuple[str, ...]) -> None:
        super().__init__(message)
        self.allow = allow


class RequestEntityTooLargeException(ServiceError):
    """The body is larger than the endpoint reads."""

    code = "RequestEntityTooLargeException"
    http_status = 413


class RequestHeaderFieldsTooLargeException(ServiceError):
    """The request has too many or too large header fields."""

    code = "RequestHeaderFieldsTooLargeException"
    http_status = 431


class HttpVersionNotSupportedException(ServiceError):
    """The request is not HTTP/1.1 or HTTP/1.0 (HTTP/0.9, HTTP/2.0 on a plain connection...)."""

    code = "HttpVersionNotSupportedException"
    http_status = 505
