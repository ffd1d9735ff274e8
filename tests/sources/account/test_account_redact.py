"""``--redact``: no delivery address, display name or channel name of the account appears in
any output, placeholders are stable and valid for AWS, and the review's figures do not change."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from engine.cli.main import main
from engine.scenario.loader import Scenario
from engine.sources import SourceOptions, load_organisation
from engine.sources.redact import KEY_VARIABLE, placeholder
from tests.sources.account.conftest import WINDOW, Served

PHONE = re.compile(r"^\+[1-9][0-9]{1,14}$")


def _secrets(organisation: Scenario) -> set[str]:
    found = {c["DisplayName"] for c in organisation.organisation.contacts if "DisplayName" in c}
    for channel in organisation.organisation.channels:
        found.add(channel["Name"])
        found.update(channel["DeliveryAddress"].values())
    return found


def _outputs(
    served: Served,
    organisation: Scenario,
    workspace: Path,
    extra: list[str],
    capsys: pytest.CaptureFixture[str],
) -> list[str]:
    """stdout and stderr of each command reading the account, and of ``get-contact`` and
    ``list-contact-channels`` of every contact in a workspace made from it."""
    outputs = []
    for argv in (
        ["review", *WINDOW, "--replications", "2", "--no-progress", "--output", "json"],
        ["review", *WINDOW, "--replications", "2", "--no-progress", "--output", "sarif"],
        ["review", *WINDOW, "--replications", "2", "--no-progress", "--output", "markdown"],
        ["validate", "--output", "json"],
        ["graph"],
    ):
        main([*argv, served.spec(), *extra])
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
    init = ["workspace", "init", "--workspace", str(workspace), "--from-account"]
    where = ["--region", "us-east-1", "--endpoint-url", served.url]
    assert main([*init, *where, *extra]) == 0
    for contact in organisation.organisation.contacts:
        for operation in ("get-contact", "list-contact-channels"):
            arn = contact["ContactArn"]
            assert main(["--workspace", str(workspace), operation, "--contact-id", arn]) == 0
    captured = capsys.readouterr()
    outputs.append(captured.out + captured.err)
    return outputs


def test_no_original_appears_in_any_output(
    served: Served,
    organisation: Scenario,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    secrets = _secrets(organisation)
    assert len(secrets) > 30
    # Without --redact the graph and the export show names and addresses...
    plain = "".join(_outputs(served, organisation, tmp_path / "plain", [], capsys))
    assert {"Akua Mensah", "+15555550101", "akua@example.com", "akua-sms"} <= {
        secret for secret in secrets if secret in plain
    }
    # ...with it, no output shows any.
    for output in _outputs(served, organisation, tmp_path / "redacted", ["--redact"], capsys):
        assert output
        leaked = sorted(secret for secret in secrets if secret in output)
        assert leaked == []


def _redacted(served: Served) -> Scenario:
    options = SourceOptions(window_from="2026-01-05T00:00:00Z", redact=True)
    return load_organisation(served.spec(), options)[0]


def test_placeholders_are_stable_and_keep_aws_shapes(served: Served) -> None:
    first, second = _redacted(served), _redacted(served)
    assert first.organisation.channels == second.organisation.channels
    assert first.organisation.contacts == second.organisation.contacts
    by_arn = {c["ContactChannelArn"]: c for c in first.organisation.channels}
    for channel in by_arn.values():
        address = channel["DeliveryAddress"]["SimpleAddress"]
        if channel["Type"] == "EMAIL":
            assert re.fullmatch(r"person-[0-9a-f]{10}@example\.invalid", address)
        else:
            assert PHONE.match(address) and address.startswith("+1555")
    # akua's SMS and VOICE channels share a number; their placeholders do too.
    akua = [c for arn, c in by_arn.items() if "/payments-akua/" in arn and c["Type"] != "EMAIL"]
    assert len(akua) == 2
    assert akua[0]["DeliveryAddress"] == akua[1]["DeliveryAddress"]
    # Aliases and ARNs are kept: findings still name the resources.
    assert {c["Alias"] for c in first.organisation.contacts} >= {"payments-akua"}


def test_a_secret_key_changes_the_placeholders(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = placeholder("SMS", "+15555550101")
    monkeypatch.setenv(KEY_VARIABLE, "our own secret")
    keyed = placeholder("SMS", "+15555550101")
    assert keyed != plain
    assert PHONE.match(keyed)


def _json(argv: list[str], capsys: pytest.CaptureFixture[str]) -> Any:
    main([*argv, "--output", "json"])
    return json.loads(capsys.readouterr().out)


def test_the_review_figures_do_not_change(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    run = ["review", *WINDOW, "--replications", "4", "--seed", "3", "--no-progress", served.spec()]
    plain = _json(run, capsys)
    redacted = _json([*run, "--redact"], capsys)
    assert redacted["coverage"] == plain["coverage"]
    assert redacted["forecast"] == plain["forecast"]
    assert [f["Id"] for f in redacted["lint"]["findings"]] == [
        f["Id"] for f in plain["lint"]["findings"]
    ]
