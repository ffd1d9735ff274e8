"""The live account source (``account:``): an account's ssm-contacts resources as an organisation.

The spec after ``account:`` is empty (the standard credential chain's profile and region), a
profile name (``account:prod``), or settings separated by commas
(``account:profile=prod,region=eu-west-1,endpoint-url=http://127.0.0.1:4566``). A setting in the
spec wins over the command line's ``--profile``, ``--region`` and ``--endpoint-url``, so
``escsim diff account:profile=a account:profile=b`` compares two accounts.

:func:`read` reads the account with read calls only (:mod:`engine.sources.account_client`):
contacts with their plans, channels with their own ``ActivationStatus`` (``--channels`` does not
apply: the account says which are activated), rotations, and the overrides that overlap the
review window (``--from``/``--to``; by default from now for a year). The account id is the one
in the resources' ARNs. Each resource is located by its ARN, so findings name it
(``arn:aws:ssm-contacts:...:contact/alias.Plan.Stages[0]``). With ``redact`` the delivery
addresses and names are replaced by placeholders (:mod:`engine.sources.redact`).
"""

from __future__ import annotations

import datetime as dt

from engine.arns import DEFAULT_ACCOUNT, parse_arn
from engine.scenario.loader import Scenario
from engine.scenario.organisation import Organisation
from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.sources import SourceUnavailable
from engine.sources.account_client import AccountError, Fetched, Place, fetch
from engine.sources.options import SourceOptions
from engine.sources.redact import redact
from engine.timeutil import parse_window

__all__ = ["SETTINGS", "parse_spec", "read"]

SETTINGS = ("profile", "region", "endpoint-url")
"""The settings an ``account:`` spec may name."""


def parse_spec(rest: str) -> dict[str, str]:
    """The settings of the spec after ``account:``. Raises ValueError naming a bad one."""
    if not rest:
        return {}
    if "=" not in rest:
        return {"profile": rest}
    settings: dict[str, str] = {}
    for item in rest.split(","):
        name, equals, value = item.partition("=")
        name = name.strip()
        if not equals or not value.strip():
            raise ValueError(f"{item!r} is not NAME=VALUE (names: {', '.join(SETTINGS)})")
        if name not in SETTINGS:
            raise ValueError(f"unknown setting {name!r} (names: {', '.join(SETTINGS)})")
        if name in settings:
            raise ValueError(f"{name} is given twice")
        settings[name] = value.strip()
    return settings


def _window(options: SourceOptions) -> tuple[dt.datetime, dt.datetime]:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return parse_window(options.window_from, options.window_to, now, name="review window")


def _describe(place: Place) -> str:
    """``profile p, region r, endpoint e``: what is known of where the account is."""
    parts = [
        f"profile {place.profile or 'default'}",
        f"region {place.region or '(from the profile)'}",
    ]
    if place.endpoint_url:
        parts.append(f"endpoint {place.endpoint_url}")
    return ", ".join(parts)


def read(rest: str, options: SourceOptions) -> list[Scenario]:
    """The account named by ``rest`` as one scenario without steps. Raises SourceUnavailable
    in one line naming where the account was read and the operation that failed."""
    spec = f"account:{rest}"
    try:
        settings = parse_spec(rest)
        window = _window(options)
    except ValueError as exc:
        raise SourceUnavailable(spec, str(exc), "arguments") from None
    place = Place(
        profile=settings.get("profile", options.profile),
        region=settings.get("region", options.region),
        endpoint_url=settings.get("endpoint-url", options.endpoint_url),
    )
    try:
        fetched = fetch(place, window)
    except AccountError as exc:
        during = f"{exc.operation} failed" if exc.operation else "cannot start"
        problem = f"{during} ({_describe(place)}): {exc.reason}"
        raise SourceUnavailable(spec, problem, exc.cause) from None
    return [_scenario(spec, fetched, place, options, window)]


def _account_of(fetched: Fetched, options: SourceOptions) -> str:
    for arn in (
        *(record["ContactArn"] for record in fetched.contacts),
        *(record["RotationArn"] for record in fetched.rotations),
    ):
        parts = parse_arn(arn)
        if parts is not None:
            return parts.account
    return options.account or DEFAULT_ACCOUNT


def _scenario(
    spec: str,
    fetched: Fetched,
    place: Place,
    options: SourceOptions,
    window: tuple[dt.datetime, dt.datetime],
) -> Scenario:
    account = _account_of(fetched, options)
    organisation = Organisation(
        contacts=fetched.contacts,
        channels=fetched.channels,
        rotations=fetched.rotations,
        overrides=fetched.overrides,
    )
    paths = organisation.paths
    for index, contact in enumerate(fetched.contacts):
        arn = contact["ContactArn"]
        organisation.aliases[contact["Alias"]] = arn
        paths.add(("contacts", index), (arn,))
    for index, channel in enumerate(fetched.channels):
        arn = channel["ContactChannelArn"]
        organisation.channel_names[arn] = channel["Name"]
        paths.add(("channels", index), (arn,))
    for index, rotation in enumerate(fetched.rotations):
        arn = rotation["RotationArn"]
        organisation.rotation_names.setdefault(rotation["Name"], arn)
        paths.add(("rotations", index), (arn,))
    for index, override in enumerate(fetched.overrides):
        at: FieldPath = (override["RotationArn"], "overrides", override["RotationOverrideId"])
        paths.add(("overrides", index), at)
    if options.redact:
        redact(organisation)
    # The source's data: each resource under its ARN, as findings locate it.
    data: dict[str, object] = {}
    for contact in organisation.contacts:
        data[contact["ContactArn"]] = contact
    for channel in organisation.channels:
        data[channel["ContactChannelArn"]] = channel
    for rotation in organisation.rotations:
        data[rotation["RotationArn"]] = rotation
    not_activated = sum(
        1 for channel in fetched.channels if channel.get("ActivationStatus") != "ACTIVATED"
    )
    where = f"account {account}, region {fetched.region}" + (
        f", endpoint {place.endpoint_url}" if place.endpoint_url else ""
    )
    notes = [
        f"{spec}: read {where}: {len(fetched.contacts)} contacts, {len(fetched.channels)} "
        f"channels ({not_activated} not activated, as the account has them; --channels does not "
        f"apply), {len(fetched.rotations)} rotations, {len(fetched.overrides)} overrides "
        f"overlapping {window[0].isoformat()} to {window[1].isoformat()}"
    ]
    if options.redact:
        notes.append(
            f"{spec}: delivery addresses, display names and channel names replaced with "
            "placeholders (aliases and ARNs kept)"
        )
    return Scenario(
        file=spec,
        name=f"account-{account}-{fetched.region}",
        description=f"the ssm-contacts resources of account {account} in {fetched.region}",
        start=None,
        seed=0,
        account=account,
        region=fetched.region,
        settings={},
        organisation=organisation,
        responders=[],
        steps=[],
        source=Source(spec, data, {}),
        path=(),
        notes=tuple(notes),
    )
