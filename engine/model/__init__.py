"""The ssm-contacts wire model: each AWS shape as a pydantic class, and request validation.

- ``base``: the base class of every shape (AWS member names on the wire, snake_case in Python),
  and the types they share.
- ``constraints``: scalar shapes (strings, integers, enums) with the model's exact limits.
- ``common``, ``contacts``, ``engagements``, ``rotations``: the structures, named as AWS names them.
- ``requests`` / ``results``: one input and one output shape per operation, each member with its
  description; ``REQUEST_MODELS`` and ``RESULT_MODELS`` map operation names to them.
- ``rules``: the stateless service rules beyond the model (docs/semantics.md R1-R2).
- ``validation``: ``validate_request(operation, params)``, the one entry point for raw requests.

Shapes are imported from their modules; this package names only the three entry points.
"""

from __future__ import annotations

from engine.model.requests import REQUEST_MODELS
from engine.model.results import RESULT_MODELS
from engine.model.validation import validate_request

__all__ = ["REQUEST_MODELS", "RESULT_MODELS", "validate_request"]
