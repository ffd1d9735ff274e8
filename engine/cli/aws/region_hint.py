"""The warning for a region that holds nothing in the workspace while another region does.

The region of a command comes first from ``--region``, the environment or a profile, and only
then from the workspace; an SRE's shell usually names a region of its own, so a command can
silently look at an empty namespace. When the region in effect holds no contact, channel,
rotation, engagement or page of the account but another region does, stderr names both and
where each came from; stdout is what it would have been.
"""

from __future__ import annotations

from engine.cli.aws.config import RegionSetting
from engine.simulator import Simulator

__all__ = ["empty_region_warning"]


def empty_region_warning(
    sim: Simulator, account: str, setting: RegionSetting, workspace_region: str
) -> str | None:
    """The line to print on stderr, or None when the region in effect is not empty or alone."""
    if sim.state(account, setting.region).holds_anything():
        return None
    others = sorted(
        region
        for owner, region in sim.namespaces()
        if owner == account
        and region != setting.region
        and sim.state(account, region).holds_anything()
    )
    if not others:
        return None
    others.sort(key=lambda region: region != workspace_region)  # the workspace's own first
    where = ", ".join(
        f"{region} (the workspace's region)" if region == workspace_region else region
        for region in others
    )
    return (
        f"escsim: region {setting.region} (from {setting.source}) holds nothing in this "
        f"workspace; its resources are in {where}. Use --region {others[0]}."
    )
