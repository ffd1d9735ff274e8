"""Where a command's region and account come from, read as the AWS CLI reads them.

Region, first found: ``--region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's
``region`` in the AWS config file (profile from ``--profile`` or ``AWS_PROFILE``; file from
``AWS_CONFIG_FILE`` or ``~/.aws/config``, sections ``[default]`` and ``[profile NAME]``), the
workspace's recorded region, ``us-east-1``. Account: ``--account``, ``ESCSIM_ACCOUNT_ID``, the
workspace's recorded account, ``111122223333``. No credentials are read: nothing is signed.
:func:`region_setting` also says where the region came from, for messages that name it. A region
that is not a region name, or an account id that is not 12 digits, is refused wherever it comes
from. When the region in effect holds nothing of the account while another region does (a shell
often names a region of its own), :func:`empty_region_warning` names both and their sources.
"""

from __future__ import annotations

import configparser
import dataclasses
import os
from typing import TYPE_CHECKING

from engine.arns import is_account, is_region

if TYPE_CHECKING:  # only a type here: reading settings loads no simulator
    from engine.simulator import Simulator

__all__ = [
    "ConfigError",
    "InvalidAccount",
    "InvalidRegion",
    "RegionSetting",
    "account_override",
    "empty_region_warning",
    "profile_output",
    "region_override",
    "region_setting",
]


class ConfigError(Exception):
    """A named profile that the config file does not have, or a config file that cannot be read."""


class InvalidRegion(ConfigError):
    """A region that is not a region name (``../../x``), in the AWS CLI's words; it exits 255."""

    def __init__(self, region: str) -> None:
        super().__init__(f"Provided region_name '{region}' doesn't match a supported format.")


class InvalidAccount(ConfigError):
    """An account id that is not 12 digits; a bad argument (252)."""

    def __init__(self, account: str) -> None:
        super().__init__(
            f"Provided account id '{account}' (--account or ESCSIM_ACCOUNT_ID) is not an AWS "
            "account id of 12 digits."
        )


@dataclasses.dataclass(frozen=True)
class RegionSetting:
    """A region and where it was found: ``--region``, a variable's name, or a profile."""

    region: str
    source: str


def region_setting(region: str | None, profile: str | None) -> RegionSetting | None:
    """The region the command line, environment or config file name, and where; None if none.

    Raises :class:`InvalidRegion` when the one found is not a region name, and
    :class:`ConfigError` for a profile named explicitly that the config file lacks.
    """
    for candidate, source in (
        (region, "--region"),
        (os.environ.get("AWS_REGION"), "AWS_REGION"),
        (os.environ.get("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
    ):
        if candidate:
            return _checked(candidate, source)
    found = _profile_setting(profile, "region")
    if found is None:
        return None
    return _checked(found, f"the {_profile_name(profile) or 'default'} profile in {_config_path()}")


def _checked(region: str, source: str) -> RegionSetting:
    if not is_region(region):
        raise InvalidRegion(region)
    return RegionSetting(region, source)


def region_override(region: str | None, profile: str | None) -> str | None:
    """The region the command line, environment or config file name, or None for the default."""
    setting = region_setting(region, profile)
    return None if setting is None else setting.region


def account_override(account: str | None) -> str | None:
    """The account ``--account`` or ``ESCSIM_ACCOUNT_ID`` names, or None for the default.

    Raises :class:`InvalidAccount` when it is not 12 digits.
    """
    found = account or os.environ.get("ESCSIM_ACCOUNT_ID") or None
    if found is not None and not is_account(found):
        raise InvalidAccount(found)
    return found


def profile_output(profile: str | None) -> str | None:
    """The ``output`` format of the profile in the AWS config file, or None (also for a file or
    profile that cannot be read: looking up the region reports those)."""
    try:
        return _profile_setting(profile, "output")
    except ConfigError:
        return None


def _profile_setting(profile: str | None, setting: str) -> str | None:
    """A setting of the profile, from ``[default]`` or ``[profile NAME]``; a profile named
    explicitly that the file lacks raises :class:`ConfigError`, as the AWS CLI refuses it."""
    name = _profile_name(profile)
    path = _config_path()
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"Unable to parse config file: {path} ({exc})") from None
    wanted = name or "default"
    sections = [
        section
        for section in parser.sections()
        if section.split() == ["profile", wanted]
        or (wanted == "default" and section.split() == ["default"])
    ]
    if not sections:
        if name is not None and name != "default":
            raise ConfigError(f"The config profile ({name}) could not be found")
        return None
    value = parser.get(sections[-1], setting, fallback=None)  # the last section wins
    return (value.strip() or None) if value else None


def _profile_name(profile: str | None) -> str | None:
    return profile or os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or None


def _config_path() -> str:
    path = os.environ.get("AWS_CONFIG_FILE") or os.path.join("~", ".aws", "config")
    return os.path.expandvars(os.path.expanduser(path))


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
