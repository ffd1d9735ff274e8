"""Where a command's region and account come from, read as the AWS CLI reads them.

Region, first found: ``--region``, ``AWS_REGION``, ``AWS_DEFAULT_REGION``, the profile's
``region`` in the AWS config file (profile from ``--profile`` or ``AWS_PROFILE``; file from
``AWS_CONFIG_FILE`` or ``~/.aws/config``, sections ``[default]`` and ``[profile NAME]``), the
workspace's recorded region, ``us-east-1``. Account: ``--account``, ``ESCSIM_ACCOUNT_ID``, the
workspace's recorded account, ``111122223333``. No credentials are read: nothing is signed.
:func:`region_setting` also says where the region came from, for messages that name it. A region
that is not a region name, or an account id that is not 12 digits, is refused wherever it comes
from.
"""

from __future__ import annotations

import configparser
import dataclasses
import os
from collections.abc import Mapping

from engine.arns import is_account, is_region

__all__ = [
    "ConfigError",
    "InvalidAccount",
    "InvalidRegion",
    "RegionSetting",
    "account_override",
    "checked_region",
    "profile_output",
    "profile_region",
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


def checked_region(region: str) -> str:
    """``region`` when it is a region name; raises :class:`InvalidRegion` otherwise."""
    if not is_region(region):
        raise InvalidRegion(region)
    return region


@dataclasses.dataclass(frozen=True)
class RegionSetting:
    """A region and where it was found: ``--region``, a variable's name, or a profile."""

    region: str
    source: str


def region_setting(
    region: str | None, profile: str | None, environ: Mapping[str, str] | None = None
) -> RegionSetting | None:
    """The region the command line, environment or config file name, and where; None if none.

    Raises :class:`InvalidRegion` when the one found is not a region name.
    """
    env = os.environ if environ is None else environ
    for candidate, source in (
        (region, "--region"),
        (env.get("AWS_REGION"), "AWS_REGION"),
        (env.get("AWS_DEFAULT_REGION"), "AWS_DEFAULT_REGION"),
    ):
        if candidate:
            return RegionSetting(checked_region(candidate), source)
    name, path = _profile_name(profile, env), _config_path(env)
    found = profile_region(profile, env)
    if found is None:
        return None
    return RegionSetting(checked_region(found), f"the {name or 'default'} profile in {path}")


def region_override(
    region: str | None, profile: str | None, environ: Mapping[str, str] | None = None
) -> str | None:
    """The region the command line, environment or config file name, or None for the default."""
    setting = region_setting(region, profile, environ)
    return None if setting is None else setting.region


def account_override(account: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The account ``--account`` or ``ESCSIM_ACCOUNT_ID`` names, or None for the default.

    Raises :class:`InvalidAccount` when it is not 12 digits.
    """
    env = os.environ if environ is None else environ
    found = account or env.get("ESCSIM_ACCOUNT_ID") or None
    if found is not None and not is_account(found):
        raise InvalidAccount(found)
    return found


def profile_region(profile: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The ``region`` of the profile in the AWS config file, or None.

    A profile named explicitly (``--profile``/``AWS_PROFILE``) that the file lacks raises
    :class:`ConfigError`, as the AWS CLI refuses it; the default profile may be missing.
    """
    return _profile_setting(profile, "region", environ)


def profile_output(profile: str | None, environ: Mapping[str, str] | None = None) -> str | None:
    """The ``output`` format of the profile in the AWS config file, or None."""
    return _profile_setting(profile, "output", environ)


def _profile_setting(
    profile: str | None, setting: str, environ: Mapping[str, str] | None
) -> str | None:
    env = os.environ if environ is None else environ
    name = _profile_name(profile, env)
    path = _config_path(env)
    parser = configparser.RawConfigParser()
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise ConfigError(f"Unable to parse config file: {path} ({exc})") from None
    sections = _profiles(parser)
    wanted = name or "default"
    if wanted not in sections:
        if name is not None and name != "default":
            raise ConfigError(f"The config profile ({name}) could not be found")
        return None
    value = sections[wanted].get(setting)
    return (value.strip() or None) if value else None


def _profiles(parser: configparser.RawConfigParser) -> dict[str, dict[str, str]]:
    """Profiles by name: ``[default]`` and ``[profile NAME]``; other sections are not profiles."""
    found: dict[str, dict[str, str]] = {}
    for section in parser.sections():
        parts = section.split()
        if len(parts) == 2 and parts[0] == "profile":
            found[parts[1]] = dict(parser.items(section))
        elif parts == ["default"]:
            found["default"] = dict(parser.items(section))
    return found


def _profile_name(profile: str | None, env: Mapping[str, str]) -> str | None:
    return profile or env.get("AWS_PROFILE") or env.get("AWS_DEFAULT_PROFILE") or None


def _config_path(env: Mapping[str, str]) -> str:
    path = env.get("AWS_CONFIG_FILE") or os.path.join("~", ".aws", "config")
    return os.path.expandvars(os.path.expanduser(path))
