"""The one handle rule for every vendor (vendor-neutral model), and E.164 phone splitting."""

from __future__ import annotations

import pytest

from engine.vendors.handles import object_handles, person_handles, slug
from engine.vendors.phones import join_phone, split_phone


def test_person_handles_come_from_the_email_local_part() -> None:
    people = [
        ("Jo.Smith@corp.example", "Jo Smith", "P1"),
        ("jo_smith@corp.example", "Jo", "P2"),
        ("o'hara+pager@corp.example", "Ann O'Hara", "P3"),
        (None, "Émile Zola", "P4"),
        ("jo.smith@other.example", "Another Jo", "P5"),
        (None, "", "PX9"),
    ]
    assert person_handles(people) == [
        "jo-smith",
        "jo_smith",
        "o-hara-pager",
        "-mile-zola",  # each character outside [a-z0-9_-] becomes one -
        "jo-smith-2",
        "px9",  # nothing to go on: the id
    ]


def test_numbering_skips_handles_already_taken() -> None:
    people = [("a@x", "", "1"), ("a@y", "", "2"), ("a-2@x", "", "3")]
    assert person_handles(people) == ["a", "a-3", "a-2"]


def test_policy_and_schedule_handles_collapse_runs() -> None:
    assert slug("Payments — Primary (EU)") == "payments-primary-eu"
    assert object_handles([("Ops / Night", "P1"), ("ops night", "P2"), ("!!!", "PZ")]) == [
        "ops-night",
        "ops-night-2",
        "pz",
    ]


@pytest.mark.parametrize(
    ("number", "split"),
    [
        ("+12025550143", (1, "2025550143")),
        ("+447700900101", (44, "7700900101")),
        ("+79161234567", (7, "9161234567")),
        ("+35312345678", (353, "12345678")),
        ("+8613800138000", (86, "13800138000")),
        ("+85221234567", (852, "21234567")),
        ("2025550143", None),
        ("+44", None),
        ("+44 7700 900101", None),
    ],
)
def test_phone_numbers_split_by_country_code(number: str, split: tuple[int, str] | None) -> None:
    assert split_phone(number) == split
    if split is not None:
        assert join_phone(*split) == number


def test_join_keeps_numbers_without_a_code() -> None:
    assert join_phone(None, "2025550143") == "2025550143"
    assert join_phone(44, "+447700900101") == "+447700900101"
