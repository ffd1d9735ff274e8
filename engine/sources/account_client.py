"""Reading an account's ssm-contacts resources through boto3, with read calls only.

:func:`fetch` lists the contacts (``ListContacts``) and reads each one's plan (``GetContact``)
and, for a person, channels (``ListContactChannels``); it lists the rotations
(``ListRotations``, which carries everything ``GetRotation`` would) and each rotation's overrides
in the review window (``ListRotationOverrides``). Every list is read through boto3's paginator,
and what is read is sorted by ARN, whatever order the service lists it in.
Throttled calls are retried by botocore's ``standard`` retry mode (its attempts as the profile
or ``AWS_MAX_ATTEMPTS`` set them, 3 by default). A ``before-call`` hook refuses any operation
that is not a List, Get or Describe before it leaves the machine, so nothing here can change the
account.

Every failure becomes :class:`AccountError` naming the operation and why, in one line.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, cast

from engine.scenario.organisation import (
    ChannelRecord,
    ContactRecord,
    OverrideRecord,
    RotationRecord,
)

__all__ = ["READ_PREFIXES", "AccountError", "Fetched", "Place", "connect", "fetch"]

READ_PREFIXES = ("List", "Get", "Describe")
"""The only operations the account source calls begin so."""

_CONNECT_SECONDS = 10
_READ_SECONDS = 60


class AccountError(Exception):
    """The account cannot be read: ``operation`` (None before any call), why, and the
    :class:`~engine.sources.SourceUnavailable` cause (configuration, service, connection)."""

    def __init__(self, operation: str | None, reason: str, cause: str = "connection") -> None:
        super().__init__(reason)
        self.operation = operation
        self.reason = reason
        self.cause = cause


@dataclasses.dataclass(frozen=True)
class Place:
    """Where the account is read from: profile, region and endpoint (None: the defaults)."""

    profile: str | None
    region: str | None
    endpoint_url: str | None


@dataclasses.dataclass
class Fetched:
    """An account's resources, as the read operations return them."""

    region: str
    contacts: list[ContactRecord] = dataclasses.field(default_factory=list)
    channels: list[ChannelRecord] = dataclasses.field(default_factory=list)
    rotations: list[RotationRecord] = dataclasses.field(default_factory=list)
    overrides: list[OverrideRecord] = dataclasses.field(default_factory=list)


class _WriteRefused(Exception):
    """Raised by the hook for an operation that is not a read."""


def _refuse_writes(model: Any, **_: Any) -> None:
    name = str(model.name)
    if not name.startswith(READ_PREFIXES):
        raise _WriteRefused(name)


def connect(place: Place) -> Any:
    """A boto3 ssm-contacts client for ``place`` that retries throttling and sends reads only."""
    try:
        import boto3  # type: ignore[import-untyped]
        from botocore.config import Config  # type: ignore[import-untyped]
    except ImportError:
        raise AccountError(
            None, "reading an account needs boto3: pip install 'escsim[account]'", "configuration"
        ) from None
    session = boto3.session.Session(profile_name=place.profile, region_name=place.region)
    config = Config(
        retries={"mode": "standard"},
        connect_timeout=_CONNECT_SECONDS,
        read_timeout=_READ_SECONDS,
        user_agent_extra="escsim-account-source",
    )
    client = session.client("ssm-contacts", endpoint_url=place.endpoint_url, config=config)
    client.meta.events.register("before-call.ssm-contacts", _refuse_writes)
    return client


def _utc(value: object) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        raise AccountError(None, f"the service returned a time that is not one ({value!r})")
    return value.astimezone(dt.UTC)


def _without_metadata(response: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in response.items() if key != "ResponseMetadata"}


class _Reader:
    """Reads one account; ``operation`` is the call under way, for error messages."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.operation: str | None = None

    def pages(self, operation: str, key: str, **parameters: object) -> list[dict[str, Any]]:
        self.operation = operation
        paginator = self.client.get_paginator(_snake(operation))
        items: list[dict[str, Any]] = []
        for page in paginator.paginate(**parameters):
            items.extend(page.get(key) or [])
        return items

    def call(self, operation: str, **parameters: object) -> dict[str, Any]:
        self.operation = operation
        return _without_metadata(getattr(self.client, _snake(operation))(**parameters))

    def read(self, window: tuple[dt.datetime, dt.datetime], region: str) -> Fetched:
        fetched = Fetched(region)
        for summary in self.pages("ListContacts", "Contacts"):
            contact = self.call("GetContact", ContactId=summary["ContactArn"])
            record = ContactRecord(
                ContactArn=contact["ContactArn"],
                Alias=contact["Alias"],
                Type=contact["Type"],
                Plan=contact.get("Plan") or {"Stages": []},
            )
            if contact.get("DisplayName"):
                record["DisplayName"] = contact["DisplayName"]
            fetched.contacts.append(record)
            if contact["Type"] == "PERSONAL":
                channels = self.pages(
                    "ListContactChannels", "ContactChannels", ContactId=contact["ContactArn"]
                )
                fetched.channels.extend(cast(ChannelRecord, channel) for channel in channels)
        for rotation in self.pages("ListRotations", "Rotations"):
            rotation_record = cast(
                RotationRecord, {**rotation, "StartTime": _utc(rotation["StartTime"])}
            )
            fetched.rotations.append(rotation_record)
            overrides = self.pages(
                "ListRotationOverrides",
                "RotationOverrides",
                RotationId=rotation["RotationArn"],
                StartTime=window[0],
                EndTime=window[1],
            )
            for override in overrides:
                entry = OverrideRecord(
                    RotationOverrideId=override["RotationOverrideId"],
                    RotationArn=rotation["RotationArn"],
                    NewContactIds=list(override.get("NewContactIds") or []),
                    StartTime=_utc(override["StartTime"]),
                    EndTime=_utc(override["EndTime"]),
                )
                if "CreateTime" in override:
                    entry["CreateTime"] = _utc(override["CreateTime"])
                fetched.overrides.append(entry)
        # The service's order is not promised: sorted, one account always reads the same.
        fetched.contacts.sort(key=lambda record: record["ContactArn"])
        fetched.channels.sort(key=lambda record: record["ContactChannelArn"])
        fetched.rotations.sort(key=lambda record: record["RotationArn"])
        fetched.overrides.sort(
            key=lambda record: (
                record["RotationArn"],
                record["StartTime"],
                record["RotationOverrideId"],
            )
        )
        return fetched


def _snake(operation: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def fetch(place: Place, window: tuple[dt.datetime, dt.datetime]) -> Fetched:
    """The account's contacts, channels, rotations and the overrides overlapping ``window``.
    Raises AccountError."""
    from botocore.exceptions import (  # type: ignore[import-untyped]
        BotoCoreError,
        ClientError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        ProfileNotFound,
        ReadTimeoutError,
    )

    reader: _Reader | None = None
    try:
        client = connect(place)
        reader = _Reader(client)
        return reader.read(window, str(client.meta.region_name))
    except ProfileNotFound:
        raise AccountError(
            None, f"the AWS profile {place.profile!r} is not configured", "configuration"
        ) from None
    except NoRegionError:
        raise AccountError(
            None,
            "no region: give --region, account:region=NAME, or set AWS_REGION",
            "configuration",
        ) from None
    except NoCredentialsError:
        raise AccountError(
            _operation(reader),
            "no AWS credentials found (environment, profile, config files or instance role); "
            "give --profile or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
            "configuration",
        ) from None
    except (EndpointConnectionError, ReadTimeoutError) as exc:
        raise AccountError(_operation(reader), f"cannot reach the endpoint: {exc}") from None
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = error.get("Code", "Error")
        message = " ".join(str(error.get("Message", "")).split())
        attempts = exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0)
        tried = f" (after {attempts + 1} attempts)" if attempts else ""
        raise AccountError(exc.operation_name, f"{code}: {message}{tried}", "service") from None
    except _WriteRefused as exc:  # a bug: say which operation was stopped
        raise AccountError(str(exc), "refused: the account source makes read calls only") from None
    except BotoCoreError as exc:
        raise AccountError(_operation(reader), " ".join(str(exc).split())) from None
    except ValueError as exc:  # botocore's word for a malformed endpoint URL
        raise AccountError(_operation(reader), " ".join(str(exc).split())) from None
    except (KeyError, TypeError) as exc:  # an endpoint answering in other shapes than AWS's
        raise AccountError(
            _operation(reader), f"the answer is not ssm-contacts' (no usable {exc})"
        ) from None


def _operation(reader: _Reader | None) -> str | None:
    return None if reader is None else reader.operation
