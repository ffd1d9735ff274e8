"""The contact graph: who pages whom, a view of the organisation checked all at once.

``ContactGraph.of(organisation)`` is the graph of a simulator's organisation
(``Simulator.graph()``); ``ContactGraph.from_resources`` reads what ``aws ssm-contacts
get-contact``, ``list-contact-channels``, ``get-rotation`` and ``get-rotation-override`` (with its
RotationArn) print, trusted for nothing: the wire model's problems with a record become findings,
never an exception. The graph is a networkx ``MultiDiGraph`` keyed by ARN:

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

The package: ``lint`` reads untrusted records, ``build`` makes the networkx graph,
``contact_graph`` holds ``ContactGraph`` with its queries and checks.
"""

from __future__ import annotations

from engine.graph.contact_graph import ContactGraph, StageRow, TargetRow

__all__ = ["ContactGraph", "StageRow", "TargetRow"]
