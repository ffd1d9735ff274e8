"""PagerDuty's REST API v2 spellings the reader and the writer share, and the named settings.

Field and type names are the API reference's (developer.pagerduty.com/api-reference, the
``PagerDuty/api-schema`` OpenAPI document); the settings are documented in
docs/vendors/pagerduty.md.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "KIND_OF_METHOD",
    "METHOD_OF_KIND",
    "ROUND_ROBIN",
    "SCHEDULE_TARGETS",
    "SETTINGS",
    "STRATEGIES",
    "TOP_KEYS",
    "USER_TARGETS",
]

SETTINGS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    # Which of a user's notification rules page: those for high- or for low-urgency incidents.
    "urgency": ("high", ("high", "low")),
    # How turns shorter than a day fall across a DST change: on the schedule's wall clock, or
    # in elapsed seconds (read in UTC). PagerDuty documents neither.
    "turn_clock": ("wall", ("wall", "elapsed")),
    # Which end of ``schedule_layers`` has precedence: ``api`` reads the list as GET returns it
    # (the top layer, which wins, first); ``created`` as it is created (Layer 1 first).
    "layer_order": ("api", ("api", "created")),
}

TOP_KEYS = ("users", "escalation_policies", "schedules", "overrides")

#: A contact method's ``type`` -> the neutral Method.kind.
KIND_OF_METHOD: Mapping[str, str] = {
    "email_contact_method": "EMAIL",
    "phone_contact_method": "VOICE",
    "sms_contact_method": "SMS",
    "push_notification_contact_method": "PUSH",
    "whatsapp_contact_method": "CHAT",
}
#: The neutral kind -> the contact method ``type`` written for it.
METHOD_OF_KIND: Mapping[str, str] = {kind: name for name, kind in KIND_OF_METHOD.items()}

USER_TARGETS = ("user_reference", "user")
SCHEDULE_TARGETS = ("schedule_reference", "schedule")
ROUND_ROBIN = "round_robin"
STRATEGIES = ("assign_to_everyone", ROUND_ROBIN)
