"""Opsgenie: read an export of its REST API v2 objects into the neutral on-call model, and write
one back (docs/vendors/opsgenie.md).

``SETTINGS`` names what the reading leaves to the caller, ``looks_like`` tells an Opsgenie export
from other documents, ``read`` takes a loaded source and ``write`` returns the document and what
it could not express. The work is done in the ``opsgenie_*`` modules beside this one.
"""

from __future__ import annotations

from engine.vendors.opsgenie_read import looks_like, read
from engine.vendors.opsgenie_settings import SETTINGS
from engine.vendors.opsgenie_write import write

__all__ = ["SETTINGS", "looks_like", "read", "write"]
