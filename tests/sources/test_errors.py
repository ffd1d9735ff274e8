"""Malformed templates through the command line: one clear line per problem naming the file and
line, the resource's logical id and the property path; never a traceback."""

from __future__ import annotations

import pytest

from engine.cli import exits
from engine.cli.main import main
from tests.sources.conftest import Write

BASE = """\
Parameters:
  Team: {Type: String, Default: ops}
Resources:
  Person:
    Type: AWS::SSMContacts::Contact
    Properties:
      Alias: !Sub "${Team}-person"
      DisplayName: Person
      Type: PERSONAL
  Sms:
    Type: AWS::SSMContacts::ContactChannel
    Properties:
      ContactId: !Ref Person
      ChannelName: sms
      ChannelType: SMS
      ChannelAddress: "+15550100"
  Plan:
    Type: AWS::SSMContacts::Plan
    Properties:
      ContactId: !Ref Person
      Stages:
        - DurationInMinutes: 5
          Targets:
            - ChannelTargetInfo: {ChannelId: !Ref Sms, RetryIntervalInMinutes: 1}
"""


def _fails(argv: list[str], capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(argv) == exits.BAD_FILE
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "unexpected error" not in captured.err
    return [line for line in captured.err.splitlines() if "read as ACTIVATED" not in line]


def test_the_base_template_is_sound(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(BASE)]) == exits.OK
    assert "no problems found" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ChannelName: sms",
            'ChannelName: !Join [","]',
            "{file}:14: Resources.Sms.Properties.ChannelName.Fn::Join: Fn::Join takes "
            "[delimiter, [values]] (got [','])",
        ),
        (
            "ChannelName: sms",
            "ChannelName: !Select [3, [a, b]]",
            "{file}:14: Resources.Sms.Properties.ChannelName.Fn::Select: Fn::Select's index 3 "
            "is past the end of a list of 2",
        ),
        (
            "      ContactId: !Ref Person\n      ChannelName",
            "      ContactId: !Ref Nobody\n      ChannelName",
            "{file}:13: Resources.Sms.Properties.ContactId.Ref: Ref to 'Nobody', which is "
            "neither a parameter nor a resource of this template",
        ),
        (
            "      ContactId: !Ref Person\n      ChannelName",
            "      ContactId: !ImportValue shared-person\n      ChannelName",
            "{file}:13: Resources.Sms.Properties.ContactId.Fn::ImportValue: Fn::ImportValue "
            "reads an output of another stack, which escsim cannot see: pass the value as a "
            "parameter (--parameter NAME=VALUE) instead",
        ),
        (
            "DurationInMinutes: 5",
            "DurationInMinutes: soon",
            "{file}:22: Resources.Plan.Properties.Stages[0].DurationInMinutes: must be a whole "
            "number (got 'soon')",
        ),
        (
            "ChannelType: SMS",
            "ChannelType: [SMS]",
            "{file}:15: Resources.Sms.Properties.ChannelType: must be text (got ['SMS'])",
        ),
        (
            "ChannelName: sms",
            "ChanelName: sms",
            "{file}:14: Resources.Sms.Properties.ChanelName: unknown property 'ChanelName' "
            "(allowed here: ChannelAddress, ChannelName, ChannelType, ContactId, "
            "DeferActivation)",
        ),
        (
            'ChannelAddress: "+15550100"',
            "ChannelAddress: !GetAtt Directory.Phone\n  Directory:\n"
            "    Type: Custom::Directory\n    Properties: {ServiceToken: x}",
            "{file}:16: Resources.Sms.Properties.ChannelAddress.Fn::GetAtt: the attribute "
            "'Phone' of custom resource Directory is known only once the stack deploys: pass "
            "the value as a parameter instead",
        ),
        (
            "      ContactId: !Ref Person\n      Stages",
            "      ContactId: !GetAtt Person.Name\n      Stages",
            "{file}:20: Resources.Plan.Properties.ContactId.Fn::GetAtt: Person "
            "(AWS::SSMContacts::Contact) has no attribute 'Name' (it has Arn)",
        ),
        (
            "Team: {Type: String, Default: ops}",
            "Team: {Type: String}",
            "{file}:2: Parameters.Team: parameter 'Team' has no Default: give it with "
            "--parameter Team=VALUE",
        ),
        (
            "ChannelType: SMS",
            "ChannelType: FAX",
            "{file}:15: Resources.Sms.Properties.ChannelType: Value 'FAX' at "
            "'Resources.Sms.Properties.ChannelType' failed to satisfy constraint: Member must "
            "satisfy enum value set: [SMS, VOICE, EMAIL]",
        ),
        (
            "ChannelName: sms",
            "ChannelName: !Foo sms",
            "{file}:14: invalid YAML: could not determine a constructor for the tag '!Foo'",
        ),
    ],
    ids=[
        "join-arity",
        "select-range",
        "unknown-ref",
        "import-value",
        "bad-number",
        "bad-text",
        "unknown-property",
        "custom-resource",
        "unknown-attribute",
        "missing-parameter",
        "import-refuses",
        "unknown-tag",
    ],
)
def test_a_malformed_template_is_named_where_it_is_wrong(
    old: str, new: str, expected: str, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    assert old in BASE
    path = write(BASE.replace(old, new, 1))
    lines = _fails(["validate", f"cfn:{path}"], capsys)
    assert expected.format(file=path) in lines


def test_not_a_mapping(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    path = write("- one\n- two\n")
    lines = _fails(["validate", f"cfn:{path}"], capsys)
    assert lines == [f"{path}:1: a CloudFormation template is a mapping with a Resources section"]


def test_every_problem_is_reported_at_once(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    text = BASE.replace("ChannelName: sms", "ChannelName: !Ref Ghost").replace(
        "DurationInMinutes: 5", "DurationInMinutes: soon"
    )
    lines = _fails(["review", write(text), "--no-progress"], capsys)
    assert len(lines) == 2
    assert "Resources.Sms.Properties.ChannelName.Ref" in lines[0]
    assert "Resources.Plan.Properties.Stages[0].DurationInMinutes" in lines[1]


@pytest.mark.parametrize("command", ["validate", "review", "graph", "coverage", "diff"])
def test_an_unknown_parameter_is_refused_by_every_command(
    command: str, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(BASE)
    argv = [command, path, "--parameter", "Nope=1"]
    if command == "diff":
        argv.insert(2, path)
    lines = _fails(argv, capsys)
    assert (
        f"{path}: --parameter Nope: the template has no parameter 'Nope' (its parameters: Team)"
        in lines
    )


def test_a_malformed_option_exits_252(write: Write, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", write(BASE), "--parameter", "Team"]) == exits.BAD_ARGUMENTS
    assert "escsim validate: --parameter takes NAME=VALUE (got 'Team')" in capsys.readouterr().err


def test_an_unknown_source_kind(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _fails(["validate", "vault:production"], capsys)
    (line,) = lines
    assert line.startswith("vault:production: unknown source kind 'vault': this build reads ")
    assert "scenario:, cfn:, tf:, account:" in line


def test_a_circular_dependency_is_refused_as_cloudformation_refuses_it(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    inline = BASE.replace(
        "      Type: PERSONAL\n",
        "      Type: PERSONAL\n"
        "      Plan:\n"
        "        - DurationInMinutes: 5\n"
        "          Targets:\n"
        "            - ChannelTargetInfo: {ChannelId: !Sub '${Sms}', RetryIntervalInMinutes: 1}\n",
        1,
    )
    path = write(inline)
    lines = _fails(["validate", path], capsys)
    assert lines == [
        f"{path}:4: Resources.Person: circular dependency between Person, Sms: CloudFormation "
        "refuses the template (a contact's plan that names its own channels belongs in an "
        "AWS::SSMContacts::Plan resource)"
    ]


@pytest.mark.parametrize("depth", [150, 5000])
def test_json_nesting_too_deeply_is_refused(
    depth: int, write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    # A tab keeps YAML from reading it, so the JSON reader does.
    text = '{"Resources": ' + "[" * depth + "]" * depth + ',\t"x": 1}'
    path = write(text, "deep.json")
    lines = _fails(["validate", f"cfn:{path}"], capsys)
    assert lines == [f"{path}: the document nests deeper than 100 levels"]


def test_base64_of_half_a_surrogate_pair_is_a_template_error(
    write: Write, capsys: pytest.CaptureFixture[str]
) -> None:
    # JSON may escape half a surrogate pair, which is no character; the hypothesis test of
    # generated templates found it ending in a UnicodeEncodeError.
    template = (
        '{"Resources": {"C": {"Type": "AWS::SSMContacts::Contact", "Properties": '
        '{"Alias": {"Fn::Base64": "\\ud800"}, "DisplayName": "x", "Type": "PERSONAL"}}}}'
    )
    path = write(template, "stack.json")
    assert main(["validate", f"cfn:{path}"]) == exits.BAD_FILE
    err = capsys.readouterr().err
    assert "Resources.C.Properties.Alias.Fn::Base64" in err
    assert "not valid Unicode text" in err and "Traceback" not in err
