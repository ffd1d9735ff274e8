"""Deep and large command-line inputs: the AWS CLI's wording and exit code, never a crash.

Values are drawn by depth (1 to 5000 levels of ``[``, ``{``, ``{a=`` or parentheses, balanced or
cut off) and by size (up to thousands of items or a hundred thousand characters), and given as
shorthand, as JSON, through ``--cli-input-json`` and ``--cli-input-yaml``, as a ``--query``, and
through ``file://``. Each command must exit 0, 252, 253, 254 or (for a ``--query`` that fails on
the response, as the AWS CLI does) 255; print no traceback and no "unexpected error"; word its
error as the AWS CLI words one; and leave the workspace untouched when it is refused before the
call.
"""

from __future__ import annotations

import dataclasses
import tempfile
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.workspace import DATABASE_FILE
from tests.fuzz.shapes import CASES
from tests.workspace.tamper import checkpoint, isolated, quiet

FAST = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LONG = settings(FAST, max_examples=4000, derandomize=False)

#: How an error the AWS CLI prints begins (after its leading blank line).
AWS_WORDINGS = (
    "Error parsing parameter ",
    "Parameter validation failed:",
    "Bad value for --query ",
    "Unable to load paramfile ",
    "An error occurred (",
    "usage: ",
    "Unknown options: ",
)


@cache
def template() -> bytes:
    """A workspace holding one contact, as bytes."""
    with tempfile.TemporaryDirectory() as scratch, isolated():
        directory = Path(scratch)
        code, _, err = quiet(
            "create-contact", "--workspace", str(directory), "--alias", "akuam",
            "--type", "PERSONAL", "--plan", "Stages=[]",
        )  # fmt: skip
        assert code == 0, err
        checkpoint(directory / DATABASE_FILE)
        return (directory / DATABASE_FILE).read_bytes()


# -- inputs ----------------------------------------------------------------------------------------

OPEN_CLOSE = {
    "list": ("[", "]"),
    "object": ('{"a": ', "}"),
    "brace": ("{a=", "}"),
    "paren": ("(", ")"),
}


def nested(shape: str, depth: int, balanced: bool, core: str = "1") -> str:
    opening, closing = OPEN_CLOSE[shape]
    return opening * depth + core + (closing * depth if balanced else closing * (depth // 2))


@dataclasses.dataclass(frozen=True)
class Case:
    """One command line: which input form, and the words after ``escsim``."""

    form: str
    argv: tuple[str, ...]
    file_text: str | None = None
    """Written to a file whose ``file://`` URL replaces ``{file}`` in ``argv``."""


CREATE = ("create-contact", "--alias", "x", "--type", "PERSONAL")
depths = st.one_of(st.integers(1, 120), st.integers(90, 5000))


@st.composite
def cases(draw: st.DrawFn, yaml_depth: int = 5000) -> Case:
    """A command line; YAML documents nest at most ``yaml_depth`` levels (PyYAML's reader takes
    seconds over thousands of levels before escsim can refuse them)."""
    form = draw(
        st.sampled_from(
            ["shorthand", "json", "cli-input-json", "cli-input-yaml", "query", "file", "wide"]
        )
    )
    depth = draw(depths)
    balanced = draw(st.booleans())
    if form == "shorthand":
        shape = draw(st.sampled_from(["list", "brace"]))
        inner = nested(shape, depth, balanced)
        return Case(form, (*CREATE, "--plan", f"Stages=[{inner}]"))
    if form == "json":
        shape = draw(st.sampled_from(["list", "object"]))
        return Case(form, (*CREATE, "--plan", '{"Stages": ' + nested(shape, depth, balanced) + "}"))
    if form == "cli-input-json":
        document = '{"NextToken": ' + nested("list", depth, balanced) + "}"
        return Case(form, ("list-contacts", "--cli-input-json", document))
    if form == "cli-input-yaml":
        shape = draw(st.sampled_from(["list", "block"]))
        depth = min(depth, yaml_depth)
        if shape == "block":  # indentation grows with depth: the text grows with its square
            levels = min(depth, 400)
            document = "".join(f"{'  ' * level}k{level}:\n" for level in range(levels)) + "x: 1\n"
        else:
            document = "NextToken: " + nested("list", depth, balanced)
        return Case(form, ("list-contacts", "--cli-input-yaml", document))
    if form == "query":
        core = draw(
            st.sampled_from(
                ["Contacts", "nosuch(Contacts)", "abs(Contacts)", "length(`1`)", "Contacts[?", "&&"]
            )
        )
        return Case(form, ("list-contacts", "--query", nested("paren", depth, balanced, core)))
    if form == "file":
        text = draw(
            st.sampled_from(
                [
                    "Stages=[" + nested("list", depth, balanced) + "]",
                    '{"Stages": ' + nested("list", depth, balanced) + "}",
                ]
            )
        )
        return Case(form, (*CREATE, "--plan", "{file}"), file_text=text)
    width = draw(st.integers(1, 5000))
    item = draw(st.sampled_from(["{DurationInMinutes=1,Targets=[]}", "a", "[]", "1" * 50]))
    return Case(form, (*CREATE, "--plan", "Stages=[" + ",".join([item] * width) + "]"))


# -- judging ---------------------------------------------------------------------------------------


def judge(case: Case) -> None:
    CASES[("cli-input", case.form)] += 1
    with tempfile.TemporaryDirectory() as scratch, isolated():
        directory = Path(scratch) / "ws"
        directory.mkdir()
        database = directory / DATABASE_FILE
        database.write_bytes(template())
        argv = list(case.argv)
        if case.file_text is not None:
            path = Path(scratch) / "value.txt"
            path.write_text(case.file_text)
            argv = [f"file://{path}" if word == "{file}" else word for word in argv]
        code, out, err = quiet(*argv, "--workspace", str(directory))
        checkpoint(database)
        assert "Traceback" not in err and "unexpected error" not in err, err[:500]
        assert code in (0, 252, 253, 254, 255), (code, err[:500])
        if code == 0:
            return
        assert out == "" or case.form == "query", out[:200]
        message = err.lstrip("\n")
        if code == 255:
            assert case.form == "query", err[:500]  # a query failing on the response, after it
            assert len(message.strip().splitlines()) == 1, err[:500]
        else:
            assert message.startswith(AWS_WORDINGS), err[:500]
        if code in (252, 253):
            assert database.read_bytes() == template(), "a refused command changed the workspace"


@FAST
@given(case=cases(yaml_depth=1200))
def test_a_deep_or_large_input_gets_the_aws_cli_wording(case: Case) -> None:
    judge(case)


@pytest.mark.slow
@LONG
@given(case=cases())
def test_deep_and_large_inputs_in_a_long_fuzz(case: Case) -> None:
    judge(case)


@pytest.mark.parametrize("depth", [100, 101, 999, 1000, 3000])
@pytest.mark.parametrize("form", ["shorthand", "json", "cli-input-json", "cli-input-yaml", "query"])
def test_the_depths_around_every_limit(form: str, depth: int) -> None:
    forms = {
        "shorthand": Case(form, (*CREATE, "--plan", "Stages=" + nested("list", depth, True))),
        "json": Case(form, (*CREATE, "--plan", '{"Stages": ' + nested("list", depth, True) + "}")),
        "cli-input-json": Case(
            form,
            ("list-contacts", "--cli-input-json", '{"a": ' + nested("list", depth, True) + "}"),
        ),
        "cli-input-yaml": Case(
            form, ("list-contacts", "--cli-input-yaml", "a: " + nested("list", depth, True))
        ),
        "query": Case(form, ("list-contacts", "--query", nested("paren", depth, True, "Contacts"))),
    }
    judge(forms[form])
