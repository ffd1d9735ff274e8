"""The scenario-file source: a ``*.scenario.yaml`` read as every command has always read it."""

from __future__ import annotations

from engine.scenario.loader import Scenario, load_file
from engine.sources import SourceOptions

__all__ = ["read"]


def read(path: str, options: SourceOptions) -> list[Scenario]:
    """Every scenario of the file. A scenario names its own account, region and channel
    activation, so ``options`` does not change it."""
    del options
    return load_file(path)
