"""Every one of the registry's operations is dispatched, whether or not the service implements it.

Each call carries the operation's required members with plausible values (built from botocore's
model, so botocore's own checks pass); an implemented operation then answers or raises one of
its modelled errors, and one the service does not implement yet says so with a 400.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from botocore.exceptions import ClientError

from engine.api.registry import OPERATIONS
from engine.service import IMPLEMENTED
from tests.builders import contact_arn
from tests.http.conftest import Backend

ARN = contact_arn("nobody")


def sample(shape: Any, name: str = "") -> Any:
    """A value of ``shape`` that botocore's client-side validation accepts."""
    kind = shape.type_name
    if kind == "structure":
        return {member: sample(shape.members[member], member) for member in shape.required_members}
    if kind == "list":
        return [sample(shape.member, name)]
    if kind == "map":
        return {}
    if kind == "timestamp":
        return dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    if kind == "integer":
        return int(shape.metadata.get("min", 1))
    if kind == "boolean":
        return False
    if shape.enum:
        return shape.enum[0]
    if shape.name == "Uuid":
        return "00000000-0000-4000-8000-000000000000"
    if name.endswith(("Id", "Ids", "Arn", "ARN")):
        return ARN
    return "1" * max(1, int(shape.metadata.get("min", 1)))


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_every_registry_operation_is_dispatched(backend: Backend, operation: str) -> None:
    client = backend.client
    model = client.meta.service_model.operation_model(operation)
    params = sample(model.input_shape) if model.input_shape is not None else {}
    method = getattr(client, OPERATIONS[operation].python_name)
    try:
        response = method(**params)
    except ClientError as exc:
        error = exc.response["Error"]
        status = exc.response["ResponseMetadata"]["HTTPStatusCode"]
        assert status == 400, error
        if operation in IMPLEMENTED:
            assert error["Code"] in OPERATIONS[operation].errors, error
            assert "does not implement" not in error["Message"]
        else:
            assert error["Code"] == "ValidationException"
            assert exc.response["Reason"] == "UNKNOWN_OPERATION"
            assert f"escsim does not implement {operation} yet" in error["Message"]
    else:
        assert operation in IMPLEMENTED
        assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
