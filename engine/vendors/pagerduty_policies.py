"""Reading PagerDuty escalation policies: rules as steps with their delays, targets and round
robin, and loops as repeats (none under urgency low, which does not escalate)."""

from __future__ import annotations

from collections.abc import Mapping

from engine.policy.model import Policy, Step, Target
from engine.scenario.paths import FieldPath
from engine.vendors.fields import Record
from engine.vendors.handles import object_handles
from engine.vendors.pagerduty_shapes import ROUND_ROBIN, SCHEDULE_TARGETS, STRATEGIES, USER_TARGETS
from engine.vendors.pagerduty_state import ReadState

__all__ = ["PolicyReader"]


class PolicyReader(ReadState):
    """Reads ``escalation_policies``."""

    def policies(self, root: Record) -> tuple[Policy, ...]:
        found: list[Policy] = []
        seen: set[str] = set()
        for path, item in self.fields.items(root, "escalation_policies", (), required=False):
            policy = self.fields.record(item, path, "an escalation policy")
            if policy is None:
                continue
            read = self._policy(policy, path)
            if read is not None:
                if read.id in seen:
                    self.fields.fail((*path, "id"), "repeats the id of an earlier policy")
                seen.add(read.id)
                found.append(read)
        handles = object_handles([(p.name, p.id) for p in found])
        return tuple(
            Policy(p.id, handle, p.name, p.steps, p.repeat, 0)
            for p, handle in zip(found, handles, strict=True)
        )

    def _policy(self, policy: Record, path: FieldPath) -> Policy | None:
        ident = self.fields.text(policy, "id", path)
        name = self.fields.text(policy, "name", path)
        loops = self.fields.integer(policy, "num_loops", path, low=0, default=0)
        rules = self.fields.items(policy, "escalation_rules", path)
        if (
            "escalation_rules" in policy
            and not rules
            and isinstance(policy.get("escalation_rules"), list)
        ):
            self.fields.fail(
                (*path, "escalation_rules"), "must hold at least one rule", with_value=False
            )
        steps = []
        for number, (where, item) in enumerate(rules, start=1):
            rule = self.fields.record(item, where, "an escalation rule")
            if rule is not None:
                step = self._step(rule, where, f"escalation policy {ident} ({name}) rule {number}")
                if step is not None:
                    steps.append(step)
        if ident is None or name is None or loops is None or len(steps) != len(rules):
            return None
        if self.settings["urgency"] == "low" and (len(steps) > 1 or loops):
            # The service settings page: "Low-urgency incidents will not escalate."
            self.notes.append(
                f"escalation policy {ident} ({name}): low-urgency incidents do not escalate "
                f"(setting urgency=low): read as its first rule only, without its {loops} loops "
                f"and {len(steps) - 1} later rules"
            )
            steps, loops = steps[:1], 0
        return Policy(ident, "", name, tuple(steps), loops, 0)

    def _step(self, rule: Record, path: FieldPath, what: str) -> Step | None:
        delay = self.fields.integer(rule, "escalation_delay_in_minutes", path, low=1)
        strategy = self._strategy(rule.get("escalation_rule_assignment_strategy"), path)
        listed = self.fields.items(rule, "targets", path)
        if isinstance(rule.get("targets"), list) and not 1 <= len(listed) <= 10:
            self.fields.fail((*path, "targets"), "must hold 1 to 10 targets", with_value=False)
        targets = []
        for where, item in listed:
            target = self._target(item, where)
            if target is not None:
                targets.append(target)
        if delay is None or strategy is None or len(targets) != len(listed) or not targets:
            return None
        if strategy == ROUND_ROBIN:
            self.notes.append(
                f"{what}: assigns round robin (one target per incident, in turn); kept as the "
                "step's round_robin"
            )
        return Step(delay, tuple(targets), strategy == ROUND_ROBIN)

    def _strategy(self, value: object, path: FieldPath) -> str | None:
        """The assignment strategy, as the API returns it (``{"type": ...}``) or as its schema
        and example also spell it (a bare string, a one-item list)."""
        where = (*path, "escalation_rule_assignment_strategy")
        if value is None:
            return "assign_to_everyone"
        if isinstance(value, list) and len(value) == 1:
            value = value[0]
        if isinstance(value, Mapping):
            value = value.get("type")
        if value not in STRATEGIES:
            self.fields.fail(where, f"must name a type of {' or '.join(STRATEGIES)}")
            return None
        assert isinstance(value, str)
        return value

    def _target(self, item: object, path: FieldPath) -> Target | None:
        target = self.fields.record(item, path, "a target")
        if target is None:
            return None
        kind = target.get("type")
        if kind == "schedule_v3_reference":
            self.fields.fail(
                (*path, "type"), "names a flexible (v3) schedule, which escsim does not read"
            )
            return None
        allowed = USER_TARGETS + SCHEDULE_TARGETS
        if kind not in allowed:
            self.fields.fail((*path, "type"), f"must be one of {', '.join(allowed)}")
            return None
        is_user = kind in USER_TARGETS
        known = self.user_ids if is_user else self.schedule_ids
        ident = self.reference(target, path, None, known, "user" if is_user else "schedule")
        if ident is None:
            return None
        return Target("person" if is_user else "schedule", ident)
