"""What a sound workspace is: the rules its header and every journal entry keep, and its checksums.

Replay trusts nothing it reads back: the header must hold a 12-digit account, a region, a seed in
range, a representable start and settings the engine accepts; every entry a known kind at a
representable instant no earlier than the one before, a well-formed account and region, and
parameters that decode (the request rules themselves are the service's, run again on replay).
Edits that keep all of that are caught by a checksum chain: the header's SHA-256 digest starts
it, each entry's covers its columns and the digest before, and the header records the last one
(its *head*), so an entry removed from the end shows too. The digests carry no secret: they
detect damage and edits by hand, not a forger who recomputes them.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any, NamedTuple

from engine.arns import is_account, is_region
from engine.timeutil import representable, start_instant

#: Seeds are stored as SQLite integers: 0 up to the largest signed 64-bit value.
MAX_SEED = 2**63 - 1

_OPERATION = re.compile(r"[A-Z][A-Za-z]{0,99}")
_DIGEST = re.compile(r"[0-9a-f]{64}")
ENTRY_KINDS = ("init", "import", "request", "advance")


class HeaderFields(NamedTuple):
    """The header row's columns as SQLite returned them (any type, checked by the rules here)."""

    format: Any
    escsim: Any
    account: Any
    region: Any
    seed: Any
    start: Any
    knobs: Any


class EntryFields(NamedTuple):
    """One journal row's columns as SQLite returned them; ``params`` is the stored text."""

    seq: Any
    at: Any
    kind: Any
    operation: Any
    params: Any
    account: Any
    region: Any


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def header_problem(fields: HeaderFields) -> str | None:
    """What is wrong with a header's account, region, seed, start or settings, or None (the
    caller checks the format and version first: they decide whether these rules apply)."""
    from engine.knobs import KnobError, Knobs

    if not is_account(fields.account):
        return f"account {fields.account!r} is not an AWS account id (12 digits)"
    if not is_region(fields.region):
        return f"region {fields.region!r} is not a region name such as us-east-2"
    seed = fields.seed
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        return f"seed {seed!r} is not a whole number from 0 to {MAX_SEED}"
    if not _is_number(fields.start) or not representable(float(fields.start)):
        return f"start {fields.start!r} is not an instant escsim can represent (years 1 to 9999)"
    try:
        start_instant(float(fields.start))
    except ValueError as exc:
        return str(exc)
    if not isinstance(fields.knobs, str):
        return "its settings are not JSON text"
    try:
        settings = json.loads(fields.knobs)
    except (ValueError, RecursionError):
        return "its settings are not JSON"
    if not isinstance(settings, dict):
        return "its settings are not a JSON object"
    try:
        Knobs.from_mapping(settings)
    except KnobError as exc:
        return f"its settings are refused: {exc}"
    except (TypeError, AttributeError):
        return "its settings are not a mapping of names to values"
    return None


def entry_problem(fields: EntryFields, start: float, previous_at: float | None) -> str | None:
    """What is wrong with one journal row's columns, or None; ``start`` is the header's (epoch
    seconds), ``previous_at`` the virtual time of the entry before (None for the first)."""
    if fields.kind not in ENTRY_KINDS:
        return f"its kind {fields.kind!r} is not one of {', '.join(ENTRY_KINDS)}"
    if fields.kind == "init" and previous_at is not None:
        return "an init entry (the initial organisation) may only come first"
    if fields.kind == "request":
        if not isinstance(fields.operation, str) or not _OPERATION.fullmatch(fields.operation):
            return f"its operation {fields.operation!r} is not an operation name"
    elif fields.operation is not None:
        return f"a {fields.kind} entry names an operation ({fields.operation!r})"
    at = fields.at
    if not _is_number(at) or not math.isfinite(at) or at < 0:
        return f"its virtual time {at!r} is not a number of seconds from 0 up"
    if previous_at is not None and at < previous_at:
        return (
            f"its virtual time {at!r} s is earlier than the entry before it ({previous_at!r} s): "
            "the clock never runs backwards"
        )
    if not representable(start + float(at)):
        return f"its virtual time {at!r} s puts the clock past what escsim can represent"
    if not is_account(fields.account):
        return f"its account {fields.account!r} is not an AWS account id (12 digits)"
    if not is_region(fields.region):
        return f"its region {fields.region!r} is not a region name such as us-east-2"
    if not isinstance(fields.params, str):
        return "its parameters are not JSON text"
    return None


def params_problem(kind: str, params: object) -> str | None:
    """What is wrong with an entry's decoded parameters for its kind, or None."""
    if not isinstance(params, dict):
        return "its parameters are not a JSON object"
    if kind == "advance" and params:
        return "a clock move carries no parameters"
    return None


def _digest(*parts: object) -> str:
    # The parts are text, whole numbers and None as SQLite returned them: the repr of their tuple
    # tells any two apart, and is cheap (every command checks every entry).
    text = repr(parts)
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def header_digest(fields: HeaderFields) -> str:
    """The digest the chain starts from: every header column."""
    return _digest("escsim-workspace", *fields._replace(start=repr(fields.start)))


def entry_digest(previous: str, fields: EntryFields) -> str:
    """The digest of one entry: its columns as stored, and the digest before it."""
    return _digest(previous, *fields._replace(at=repr(fields.at)))


def is_digest(value: object) -> bool:
    """Whether ``value`` looks like a digest this module makes (64 lower-case hex digits)."""
    return isinstance(value, str) and _DIGEST.fullmatch(value) is not None
