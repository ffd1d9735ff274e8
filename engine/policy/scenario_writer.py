"""Any product's setup written as an escsim scenario file in AWS form (``escsim translate --to
aws``).

The organisation is :func:`engine.policy.aws.write_organisation`'s records, as the scenario
format's AWS form holds them (``contacts``, ``channels``, ``rotations``, ``overrides`` lists,
docs/scenario-format.md), so ``escsim run``, ``validate`` and ``review`` read it back. The
engine settings the source product needs are not written: an AWS account has none, so they are
listed with the notes as constructs AWS cannot express (:mod:`engine.policy.aws_constructs`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

import yaml

from engine.policy.aws import write_organisation
from engine.policy.aws_constructs import PRODUCT_NAMES, written_constructs
from engine.policy.model import OnCallSetup

__all__ = ["Document", "constructs_count", "one_line", "plain", "write_scenario"]

_CONTACT_KEYS = ("ContactArn", "Alias", "DisplayName", "Type", "Plan")


@dataclasses.dataclass(frozen=True, slots=True)
class Document:
    """A translated document's text, and one line per construct the target cannot express
    (``object: what it was and what it became``)."""

    text: str
    constructs: tuple[str, ...]


def write_scenario(setup: OnCallSetup, origin: str, account: str, region: str) -> Document:
    """``setup`` as a scenario file in ``account`` and ``region``; ``origin`` names the source
    in the file's opening comment and its name."""
    written = write_organisation(setup, account, region)
    org = written.organisation
    product = PRODUCT_NAMES.get(setup.product, setup.product)
    document: dict[str, object] = {
        "version": 1,
        "name": _name(origin),
        "description": f"The {product} organisation of {one_line(origin)}, in AWS form",
        "account": account,
        "region": region,
    }
    lists: dict[str, object] = {
        "contacts": [plain(_ordered(contact, _CONTACT_KEYS)) for contact in org.contacts],
        "channels": plain(org.channels),
        "rotations": plain(org.rotations),
        "overrides": plain(org.overrides),
    }
    document.update((key, value) for key, value in lists.items() if value)
    constructs = tuple(written_constructs(setup, written))
    header = [
        f"# Translated by `escsim translate --to aws` from {one_line(origin)} ({product}).",
        "# The organisation in the AWS form of the scenario format; escsim run, validate and",
        "# review read it. What AWS cannot express was listed on stderr when it was written"
        + f" ({constructs_count(len(constructs))}).",
    ]
    body = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    return Document("\n".join(header) + "\n" + body, constructs)


def plain(value: object) -> object:
    """Records with their instants as ISO 8601 text (``Z`` for UTC), as YAML and JSON hold
    them; mappings keep their order."""
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def _ordered(record: Mapping[str, object], keys: Sequence[str]) -> dict[str, object]:
    """``record`` with ``keys`` first, in get-contact's order, then anything else."""
    first = {key: record[key] for key in keys if key in record}
    return first | {key: value for key, value in record.items() if key not in first}


def one_line(text: str) -> str:
    """``text`` fit for a one-line field or comment: no line breaks or other characters YAML
    would refuse in a comment (each becomes ``?``), at most 80 characters."""
    flat = " ".join(text.split())
    flat = "".join(ch if ch.isprintable() else "?" for ch in flat)
    return flat if len(flat) <= 80 else flat[:77] + "..."


def _name(origin: str) -> str:
    stem = origin.rsplit("/", 1)[-1].split(":", 1)[-1]
    for suffix in (".scenario.yaml", ".template.yaml", ".template.json", ".yaml", ".yml", ".json"):
        if stem.endswith(suffix) and len(stem) > len(suffix):
            stem = stem[: -len(suffix)]
            break
    return one_line(stem or "translated") + "-aws"


def constructs_count(count: int) -> str:
    """How many constructs were listed, in words for the file's opening comment."""
    return "nothing" if count == 0 else "1 construct" if count == 1 else f"{count} constructs"
