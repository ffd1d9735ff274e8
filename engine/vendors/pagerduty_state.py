"""What reading a PagerDuty export keeps while it walks the document: the field reader with its
problems, the settings, the notes, the ids seen so far, and references between objects."""

from __future__ import annotations

from engine.scenario.paths import FieldPath
from engine.scenario.yamlsource import Source
from engine.vendors.fields import Fields

__all__ = ["USERS_HINT", "ReadState"]

USERS_HINT = " (export users with include[]=contact_methods and include[]=notification_rules)"


class ReadState:
    """The state one read shares between the readers of users, schedules and policies."""

    def __init__(self, source: Source, settings: dict[str, str]) -> None:
        self.fields = Fields(source)
        self.settings = settings
        self.notes: list[str] = []
        self.user_ids: set[str] = set()
        self.schedule_ids: set[str] = set()

    def reference(
        self, item: object, path: FieldPath, key: str | None, known: set[str], what: str
    ) -> str | None:
        """The id in ``item`` (or ``item[key]``), which must name a known ``what``."""
        outer = self.fields.record(item, path, f"a {what} reference")
        if outer is None:
            return None
        holder, where = outer, path
        if key is not None:
            inner = outer.get(key)
            where = (*path, key)
            if inner is None:
                self.fields.fail(where, "is missing", with_value=False)
                return None
            found = self.fields.record(inner, where, f"a {what} reference")
            if found is None:
                return None
            holder = found
        ident = self.fields.text(holder, "id", where)
        if ident is not None and ident not in known:
            self.fields.fail((*where, "id"), f"names no {what} of the document")
            return None
        return ident
