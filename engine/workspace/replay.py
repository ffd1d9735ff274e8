"""Rebuilding a workspace's simulation by replaying its journal, and applying new changes.

Replay is deterministic (docs/semantics.md T2): the same header and journal give the same state,
byte for byte. Every entry moves the clock to its virtual time first, then applies: ``init``
and ``import`` add resources (and responders), ``request`` runs an accepted AWS request again,
``advance`` only moves the clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.errors import ServiceError
from engine.knobs import KnobError
from engine.workspace.responders import responder_from_spec
from engine.workspace.store import Header, JournalEntry, WorkspaceDamaged

if TYPE_CHECKING:
    from engine.simulator import Simulator


def build_simulator(header: Header) -> Simulator:
    """A fresh simulator at the workspace's start, with its seed, account, region and knobs."""
    from engine.simulator import Simulator

    try:
        return Simulator(
            seed=header.seed,
            start=header.start,
            account=header.account,
            region=header.region,
            **header.knobs,
        )
    except KnobError as exc:
        raise WorkspaceDamaged(f"its settings are refused: {exc}") from None


def replay(
    header: Header, entries: Iterable[JournalEntry], *, database: Path | None = None
) -> Simulator:
    """The simulator after every entry of the journal; WorkspaceDamaged names one that fails."""
    sim = build_simulator(header)
    for entry in entries:
        try:
            apply_entry(sim, entry)
        except ServiceError as exc:
            raise _damaged(entry, f"{exc.code}: {exc.message}", database) from None
        except RecursionError:
            raise _damaged(entry, "its parameters nest too deeply", database) from None
        except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as exc:
            raise _damaged(entry, str(exc) or type(exc).__name__, database) from None
    return sim


def _damaged(entry: JournalEntry, why: str, database: Path | None) -> WorkspaceDamaged:
    return WorkspaceDamaged(
        f"no longer replays: {why}",
        seq=entry.seq,
        what=entry.operation or entry.kind,
        database=database,
    )


def apply_entry(sim: Simulator, entry: JournalEntry) -> Any:
    """Apply one journal entry to ``sim`` at its virtual time; returns what the call returned."""
    if entry.at > sim.elapsed:
        sim.advance_to_elapsed(entry.at)
    if entry.kind == "request":
        assert entry.operation is not None
        return sim.call(entry.operation, entry.params, account=entry.account, region=entry.region)
    if entry.kind in ("init", "import"):
        payload = entry.params
        arns: dict[str, str] = sim.import_resources(
            list(payload.get("contacts") or ()),
            list(payload.get("channels") or ()),
            list(payload.get("rotations") or ()),
            list(payload.get("overrides") or ()),
            account=entry.account,
            region=entry.region,
            path="import",
        )
        for item in payload.get("responders") or ():
            contact = str(item["contact"])
            sim.set_responder(
                arns.get(contact, contact),
                responder_from_spec(item["model"]),
                account=entry.account,
                region=entry.region,
            )
        return arns
    if entry.kind == "advance":
        return None
    raise ValueError(f"unknown journal entry kind {entry.kind!r}")
