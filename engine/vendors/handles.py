"""The short names (handles) every vendor importer gives people, policies and schedules.

One rule for every product, so that the same person read from two products gets the same handle
and a translation or an equivalence proof can match them:

* a person: the local part of their e-mail, lower-cased, each character outside ``[a-z0-9_-]``
  replaced by ``-``; without an e-mail, their name treated the same way;
* a policy or a schedule: its name lower-cased, each run of characters outside ``[a-z0-9_-]``
  turned into one ``-``, stripped of ``-`` at both ends;
* repeats get ``-2``, ``-3``, ... in input order; a name that gives nothing falls back to the
  object's id treated the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["numbered", "object_handles", "person_handle_base", "person_handles", "slug"]

_OUTSIDE = re.compile(r"[^a-z0-9_-]")
_RUNS = re.compile(r"[^a-z0-9_-]+")


def person_handle_base(email: str | None, name: str) -> str:
    """A person's handle before repeats are numbered: from the e-mail's local part, else from
    the name (each character outside the allowed set becomes ``-``)."""
    if email:
        local = email.rsplit("@", 1)[0] if "@" in email else email
        return _OUTSIDE.sub("-", local.lower())
    return _OUTSIDE.sub("-", name.lower())


def slug(name: str) -> str:
    """A policy or schedule name as a handle (runs of other characters become one ``-``)."""
    return _RUNS.sub("-", name.lower()).strip("-")


def numbered(bases: Sequence[str]) -> list[str]:
    """``bases`` with repeats suffixed ``-2``, ``-3``, ... in order, never colliding with a
    base that is itself taken (an empty base counts as ``x``)."""
    bases = [base or "x" for base in bases]
    taken = set(bases)
    seen: set[str] = set()
    out: list[str] = []
    for base in bases:
        handle = base
        if handle in seen:
            count = 2
            while f"{base}-{count}" in seen or f"{base}-{count}" in taken:
                count += 1
            handle = f"{base}-{count}"
        seen.add(handle)
        out.append(handle)
    return out


def person_handles(people: Sequence[tuple[str | None, str, str]]) -> list[str]:
    """Handles of people given as (e-mail or None, name, id), in the same order."""
    bases = []
    for email, name, ident in people:
        base = person_handle_base(email, name)
        bases.append(base or _OUTSIDE.sub("-", ident.lower()))
    return numbered(bases)


def object_handles(objects: Sequence[tuple[str, str]]) -> list[str]:
    """Handles of policies or schedules given as (name, id), in the same order."""
    return numbered([slug(name) or slug(ident) or "x" for name, ident in objects])
