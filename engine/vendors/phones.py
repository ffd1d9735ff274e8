"""Phone numbers between E.164 (``+447700900123``) and a country code with a national number.

PagerDuty stores a phone or SMS contact method as ``country_code`` plus ``address``; the neutral
model and AWS keep one E.164 string. ITU country calling codes form a prefix code (no code is the
start of another), so the split is unambiguous given which prefixes are one, two or three digits.
"""

from __future__ import annotations

import re

__all__ = ["dashed_to_e164", "e164_to_dashed", "join_phone", "split_phone"]

# Country calling codes of one and of two digits; every other code has three.
_ONE_DIGIT = frozenset({"1", "7"})
# fmt: off
_TWO_DIGITS = frozenset(str(code) for code in (
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55,
    56, 57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
))
# fmt: on


def split_phone(number: str) -> tuple[int, str] | None:
    """(country code, national number) of an E.164 ``+<digits>`` string, or None when it is
    not one."""
    digits = number[1:]
    if not number.startswith("+") or not digits.isdigit() or len(digits) < 4:
        return None
    if digits[0] in _ONE_DIGIT:
        size = 1
    elif digits[:2] in _TWO_DIGITS:
        size = 2
    else:
        size = 3
    return int(digits[:size]), digits[size:]


def join_phone(country_code: int | None, address: str) -> str:
    """One E.164-style string: ``+<country code><address>`` (the address as given when there is
    no country code or it already starts with ``+``)."""
    if country_code is None or address.startswith("+"):
        return address
    return f"+{country_code}{address}"


_DASHED = re.compile(r"^(\d{1,3})-(\d{4,})$")


def dashed_to_e164(address: str) -> str:
    """Opsgenie's ``<country code>-<number>`` (``44-7700900404``) as E.164
    (``+447700900404``); anything else as written."""
    match = _DASHED.match(address)
    return join_phone(int(match[1]), match[2]) if match else address


def e164_to_dashed(number: str) -> str:
    """An E.164 number as Opsgenie writes a phone (``44-7700900404``); anything else as given."""
    split = split_phone(number)
    return f"{split[0]}-{split[1]}" if split else number
