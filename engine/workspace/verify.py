"""Judging a workspace as a whole: is its header sound, which journal entry is the first bad one?

:func:`verify` runs every check that opening and replaying a workspace runs (file, header, each
entry and its link in the checksum chain, the last entry's record, replay through the service's
validation) and reports the first failure instead of raising it. It writes nothing, so it may
run while ``escsim serve`` holds the workspace.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from engine.workspace.replay import replay
from engine.workspace.store import DATABASE_FILE, Workspace, WorkspaceDamaged


@dataclasses.dataclass(frozen=True)
class Verdict:
    """What :func:`verify` found: the first bad ``entry`` (None: the header or the whole journal),
    or for a sound one its ``head`` (two sound copies with the same head hold the same journal)."""

    database: Path
    sound: bool
    entries: int
    entry: int | None = None
    what: str | None = None
    problem: str | None = None
    head: str | None = None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready, with AWS-style member names."""
        document: dict[str, object] = {
            "Workspace": str(self.database.parent),
            "Database": str(self.database),
            "Sound": self.sound,
            "Entries": self.entries,
        }
        if self.sound:
            document["Head"] = self.head
        else:
            document["FirstBad"] = {
                "Entry": self.entry,
                "What": self.what if self.entry is not None else "header",
                "Problem": self.problem,
            }
        return document


def verify(directory: str | os.PathLike[str]) -> Verdict:
    """Check the workspace in ``directory``; nothing is written. Raises WorkspaceError (or
    WorkspaceMissing) when there is no escsim workspace of this format and version to judge."""
    database = Path(directory) / DATABASE_FILE
    try:
        workspace = Workspace.open(directory)
    except WorkspaceDamaged as exc:
        return Verdict(database, False, 0, problem=exc.problem)
    with workspace:
        count = workspace.journal_length()
        try:
            with workspace.transaction(write=False) as tx:
                entries, digests = tx.checked()
            replay(workspace.header, entries, database=database)
        except WorkspaceDamaged as exc:
            return Verdict(database, False, count, exc.seq, exc.what, exc.problem)
        head = digests[-1] if digests else workspace.digest
    return Verdict(database, True, count, head=head)
