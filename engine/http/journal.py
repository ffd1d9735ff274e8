"""Keeping an endpoint's simulation in a workspace (``escsim serve --workspace DIR``).

The endpoint holds the workspace for as long as it serves; every change it accepts (a request
that is not a read, a clock move, a reset) is appended to the journal in its own transaction,
so a restarted server replays to the same state and the command line can read it afterwards.
"""

from __future__ import annotations

from engine.api.registry import OPERATIONS
from engine.simulator import Simulator
from engine.workspace import Workspace, replay


class WorkspaceJournal:
    """Appends what an endpoint accepts to a workspace it holds."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def simulator(self) -> Simulator:
        """The workspace's simulation, replayed from its journal."""
        with self.workspace.transaction(write=False) as tx:
            return replay(self.workspace.header, tx.entries(), database=self.workspace.database)

    def request(
        self, sim: Simulator, operation: str, params: dict[str, object], account: str, region: str
    ) -> None:
        """An accepted request, at the virtual time it ran."""
        if OPERATIONS[operation].read_only:
            return
        with self.workspace.transaction(write=True) as tx:
            tx.append(
                "request", sim.elapsed, params, operation=operation, account=account, region=region
            )

    def clock(self, sim: Simulator) -> None:
        """The clock moved to ``sim.elapsed`` without a request."""
        with self.workspace.transaction(write=True) as tx:
            tx.append("advance", sim.elapsed, {})

    def reset(self) -> Simulator:
        """Forget everything after the initial organisation; the simulation as it was then."""
        with self.workspace.transaction(write=True) as tx:
            tx.delete_after_init()
            return replay(self.workspace.header, tx.entries(), database=self.workspace.database)
