"""The API layer: AWS wire shapes and the operation registry shared by every front end.

``OPERATIONS`` lists the 39 ssm-contacts operations with their names as boto3, the AWS CLI and the
JSON protocol spell them; ``by_python_name`` and ``by_cli_name`` look them up.
"""

from __future__ import annotations

from engine.api.registry import OPERATIONS, Operation, Paginator, by_cli_name, by_python_name

__all__ = ["OPERATIONS", "Operation", "Paginator", "by_cli_name", "by_python_name"]
