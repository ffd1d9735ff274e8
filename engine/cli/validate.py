"""``escsim validate SOURCE...``: every problem of an organisation (a scenario file, a
CloudFormation template: docs/sources.md), at once, located in its source.

The organisation is imported as ``escsim run`` would (a malformed file exits 253), then the
contact graph reports every finding, located in the file (``--output sarif``: as SARIF 2.1.0
for code scanning). Several files (as pre-commit passes them) are checked in turn: JSON then holds
``files``, one document each. Exit 1 when any finding is an error,
else 0. When the import refuses the organisation, the findings that explain it are printed first,
then the import's problems, and the exit is 253. Checks over time are ``escsim review``'s.
"""

from __future__ import annotations

import argparse

from engine.cli import exits
from engine.cli.output import add_output_option, dump_json
from engine.cli.render import ScenarioFindings, console, render_findings
from engine.cli.sources import SOURCE_HELP, add_source_options, read_scenarios
from engine.graph import ContactGraph
from engine.review.sarif import artifact_uri, sarif_log_of_files
from engine.scenario.errors import ScenarioError
from engine.scenario.expect.compile import compile_checks
from engine.scenario.loader import Scenario
from engine.scenario.paths import format_path, parse_path
from engine.scenario.runner import build_simulator

__all__ = ["add_arguments", "handle", "scenario_findings"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        metavar="SOURCE",
        nargs="+",
        help=SOURCE_HELP + "; or several (as pre-commit passes them)",
    )
    add_output_option(
        parser,
        "table (default) for people, json for machines, sarif (SARIF 2.1.0) for code scanning",
        ("table", "json", "sarif"),
    )
    add_source_options(parser)


def handle(args: argparse.Namespace) -> int:
    checked = [_check(path, args) for path in args.files]
    errors = sum(report["errors"] for _path, reports, _refused in checked for report in reports)
    for _path, reports, refused in checked:
        if refused is not None and not any(report["findings"] for report in reports):
            raise refused
    if args.output == "json":
        documents = [
            {
                "file": path,
                "scenarios": reports,
                "errors": sum(report["errors"] for report in reports),
                "warnings": sum(report["warnings"] for report in reports),
            }
            for path, reports, _refused in checked
        ]
        if len(documents) == 1:
            print(dump_json(documents[0]))
        else:
            warnings = sum(r["warnings"] for _path, reports, _refused in checked for r in reports)
            print(dump_json({"files": documents, "errors": errors, "warnings": warnings}))
    elif args.output == "sarif":
        files = [
            (artifact_uri(path), [finding for report in reports for finding in report["findings"]])
            for path, reports, _refused in checked
        ]
        print(dump_json(sarif_log_of_files(files)))
    else:
        for path, reports, _refused in checked:
            render_findings(console(), path, reports)
    for _path, _reports, refused in checked:
        if refused is not None:
            raise refused
    return exits.FINDINGS if errors else exits.OK


def _check(
    path: str, args: argparse.Namespace
) -> tuple[str, list[ScenarioFindings], ScenarioError | None]:
    """The findings of every scenario of the source ``path``, and the import's refusal if
    the organisation cannot be imported (a malformed source raises ScenarioError at once)."""
    scenarios = read_scenarios(path, args, "escsim validate")
    compile_checks(scenarios)  # a bad name in expect: is a file error here too
    reports: list[ScenarioFindings] = []
    refused: ScenarioError | None = None
    for scenario in scenarios:
        try:
            build_simulator(scenario)  # the import's AWS field rules: a file that fails exits 253
        except ScenarioError as exc:
            refused = refused or exc
        findings = scenario_findings(scenario)
        reports.append(
            {
                "scenario": scenario.name,
                "findings": findings,
                "errors": sum(1 for f in findings if f["Severity"] == "error"),
                "warnings": sum(1 for f in findings if f["Severity"] == "warning"),
            }
        )
    return path, reports, refused


def scenario_findings(scenario: Scenario) -> list[dict[str, object]]:
    """Findings of the scenario's organisation, each with where it sits in the file."""
    organisation = scenario.organisation
    roots: dict[str, tuple[str | int, ...]] = {}
    for index, contact in enumerate(organisation.contacts):
        roots[_resource(contact["ContactArn"])] = ("contacts", index)
    for index, channel in enumerate(organisation.channels):
        roots[_resource(channel["ContactChannelArn"])] = ("channels", index)
    for index, rotation in enumerate(organisation.rotations):
        roots[_resource(rotation["RotationArn"])] = ("rotations", index)
    for index, override in enumerate(organisation.overrides):
        roots[f"override/{override['RotationOverrideId']}"] = ("overrides", index)
    graph = ContactGraph.from_resources(
        organisation.contacts, organisation.channels, organisation.rotations, organisation.overrides
    )
    findings = []
    for finding in sorted(graph.validate()):
        record: dict[str, object] = dict(finding.as_dict())
        root, _, rest = finding.path.partition(".")
        compiled = roots.get(root)
        if compiled is None and root.startswith(
            ("contacts[", "channels[", "rotations[", "overrides[")
        ):
            compiled, rest = parse_path(root), rest
        if compiled is not None:
            source_path = organisation.paths.to_source((*compiled, *parse_path(rest)))
            record["Location"] = format_path(source_path)
            line = scenario.source.line_of(source_path)
            if line is not None:
                record["Line"] = line
        findings.append(record)
    return findings


def _resource(arn: str) -> str:
    return arn.split(":", 5)[-1]
