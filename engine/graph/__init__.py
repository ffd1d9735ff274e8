"""The contact graph: who pages whom, built from AWS-shaped records and checked all at once.

Input is what ``aws ssm-contacts get-contact``, ``list-contact-channels``, ``get-rotation`` and
``get-rotation-override`` (with its RotationArn) print, as plain dicts, trusted for nothing: a
record that cannot be read becomes a finding, never an exception. The graph is a networkx
``MultiDiGraph`` keyed by ARN:

- nodes carry ``kind`` (``contact``, ``channel``, ``rotation``, or ``missing`` for an ARN that is
  referenced but not given, with ``expected`` saying what the reference wanted), and per kind
  ``contact_type``, ``alias``, ``display_name``; ``channel_type``, ``activation_status``,
  ``owner``, ``name``; ``name``;
- edges carry ``relation``: ``owns`` (contact -> its channel), ``plan`` (contact -> the channel or
  contact a stage targets, with ``stage``, ``target``, ``duration`` and either ``retry_interval``
  or ``essential``), ``rotation`` (contact -> a rotation of its plan, with ``index``),
  ``member`` (rotation -> contact, with ``index``) and ``override`` (rotation -> a contact an
  override of it puts on call, with ``override_id``, ``index``, ``start`` and ``end``). Edge
  keys are the field path below the source (``Plan.Stages[1].Targets[0]``,
  ``Overrides[<id>].NewContactIds[0]``), so parallel edges stay apart.

:meth:`ContactGraph.validate` reports every problem of the catalogue in ``engine.findings``.
Reachability ignores time: an on-call schedule counts as able to page when any member of any of
its rotations can be paged, whoever is on call at a given instant.

The package: ``records`` reads the input, ``build`` makes the networkx graph, ``contact_graph``
holds ``ContactGraph`` with its queries and checks.
"""

from __future__ import annotations

from engine.graph.contact_graph import ContactGraph
from engine.graph.records import (
    ACTIVATION_STATUSES,
    CHANNEL_TYPES,
    CONTACT_TYPES,
    StageRow,
    TargetRow,
)

__all__ = [
    "ACTIVATION_STATUSES",
    "CHANNEL_TYPES",
    "CONTACT_TYPES",
    "ContactGraph",
    "StageRow",
    "TargetRow",
]
