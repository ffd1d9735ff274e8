"""``escsim workspace init|reset|export|import|show|verify``: create and manage a workspace.

``init --from SOURCE`` (``--from-account`` for the live account) takes the source's organisation,
responders, settings, seed, start, account and region, not its script. ``export`` writes a
scenario file holding the organisation and every accepted request as a script step at its
virtual time. ``import`` adds what ``aws ssm-contacts`` get and list commands printed for a real
account, keeping the ARNs (and so the plans) in the workspace's account and region. ``verify``
exits 0 for a sound workspace, 1 for a damaged one, 253 when there is no escsim workspace to
judge.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml
from rich.console import Console
from rich.text import Text

from engine.arns import DEFAULT_ACCOUNT, DEFAULT_REGION, is_account
from engine.cli import exits
from engine.cli.aws.config import ConfigError, InvalidRegion, region_override
from engine.cli.aws.session import open_workspace, workspace_errors
from engine.cli.coverage import chosen_scenarios
from engine.cli.output import add_output_option, dump_json
from engine.cli.run import setting_overrides
from engine.cli.sources import SOURCE_HELP, add_source_options, say_notes, source_options
from engine.errors import ServiceError
from engine.knob_option import add_set_option
from engine.knobs import Knobs
from engine.scenario.loader import Scenario
from engine.sources import load_organisation
from engine.timeutil import format_duration, start_instant
from engine.workspace import (
    DATABASE_FILE,
    Header,
    JournalEntry,
    Workspace,
    WorkspaceExists,
    apply_entry,
    build_simulator,
    replay,
    shared,
    verify,
    workspace_directory,
)
from engine.workspace.integrity import MAX_SEED
from engine.workspace.verify import Verdict

__all__ = ["add_arguments", "handle"]

JsonObject = dict[str, object]
Resources = dict[str, list[JsonObject]]
"""Contacts, channels, rotations and overrides (and, from a scenario, responders) by kind."""
RESOURCE_KINDS = ("contacts", "channels", "rotations", "overrides")


_DOCS = {
    "init": "Create the workspace, empty or from a scenario's organisation and settings.",
    "reset": "Empty the journal back to the initial organisation, clock at the start.",
    "export": "Write a scenario file (YAML) that reproduces the workspace.",
    "import": "Add contacts, channels, rotations and overrides as `aws ssm-contacts` printed them.",
    "show": "Print the workspace's header, virtual time and journal length.",
    "verify": "Check the workspace's header, every journal entry (its rules and its link "
    "in the checksum chain) and its replay; name the first bad entry. Exit 0 when sound, 1 "
    "when not, 253 when there is no escsim workspace to judge.",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    parser.set_defaults(parser=parser)

    def action(name: str, help: str) -> argparse.ArgumentParser:
        return actions.add_parser(name, help=help, description=_DOCS[name])

    init = action("init", "create the workspace")
    origin = init.add_mutually_exclusive_group()
    origin.add_argument("--from", dest="source", metavar="SOURCE", help=SOURCE_HELP)
    origin.add_argument(
        "--from-account",
        dest="source",
        action="store_const",
        const="account:",
        help="the live account (read-only; --profile, --region, --endpoint-url), as "
        "--from account: reads it",
    )
    init.add_argument("--scenario", metavar="NAME", help="which scenario of a file with several")
    init.add_argument("--seed", type=int, metavar="N", help="seed of the simulation (default 0)")
    init.add_argument("--start", metavar="ISO", help="start instant (default: now, recorded)")
    add_set_option(init, "--set latency.SMS=10")
    init.add_argument("--account", metavar="ID", help="account (default 111122223333)")
    init.add_argument("--region", metavar="REGION", help="region (default us-east-1)")
    add_source_options(init, region=False)
    action("reset", "forget everything since init")
    export = action("export", "write a scenario file reproducing the workspace")
    export.add_argument("-o", "--output-file", metavar="FILE", help="write here, not to stdout")
    export.add_argument("--name", help="the scenario's name (default: the directory's)")
    imported = action("import", "add resources printed by the aws CLI")
    imported.add_argument("files", nargs="+", metavar="FILE", help="JSON printed by aws")
    imported.add_argument(
        "--rotation-id",
        metavar="ARN",
        help="the rotation list-rotation-overrides output belongs to (needed with several)",
    )
    action("show", "print the header and the clock")
    verify_action = action("verify", "check the journal, name the first bad entry")
    add_output_option(verify_action)
    for sub in actions.choices.values():
        sub.add_argument(
            "--workspace",
            metavar="DIR",
            help="workspace directory (default: $ESCSIM_WORKSPACE, else ./.escsim)",
        )


def handle(args: argparse.Namespace) -> int:
    handlers = {
        "init": _init,
        "reset": _reset,
        "export": _export,
        "import": _import,
        "show": _show,
        "verify": _verify,
    }
    with workspace_errors(f"escsim workspace {args.action}"):
        return handlers[args.action](args)


def _init(args: argparse.Namespace) -> int:
    command = "escsim workspace init"
    overrides = setting_overrides(args.settings)
    if args.seed is not None and not 0 <= args.seed <= MAX_SEED:
        raise exits.CommandError(
            f"{command}: --seed must be a whole number from 0 to {MAX_SEED} (got {args.seed})",
            exits.BAD_ARGUMENTS,
        )
    if args.account is not None and not is_account(args.account):
        raise exits.CommandError(
            f"{command}: --account {args.account!r} is not an AWS account id (12 digits)",
            exits.BAD_ARGUMENTS,
        )
    payload: Resources | None = None
    settings: dict[str, object] = {}
    seed, start, account, region = 0, None, None, None
    if args.source:
        scenario = _scenario(args, command)
        seed, start, account = scenario.seed, scenario.start, scenario.account
        region = scenario.region
        settings = dict(scenario.settings)
        payload = {kind: getattr(scenario.organisation, kind) for kind in RESOURCE_KINDS}
        payload["responders"] = [
            {"contact": entry.contact, "model": entry.model.model_dump(mode="json")}
            for entry in scenario.responders
        ]
    settings.update(overrides)
    Knobs.from_mapping(settings)
    if args.start is not None:
        start = _instant(args.start, command)
    if start is None:
        start = dt.datetime.now(dt.UTC).replace(microsecond=0)
    if args.region is not None:
        region = _command_region(command, args.region)
    header = Header(
        account=args.account or account or DEFAULT_ACCOUNT,
        region=region or _command_region(command, None) or DEFAULT_REGION,
        seed=args.seed if args.seed is not None else seed,
        start=start.timestamp(),
        knobs=settings,
    )
    directory = workspace_directory(args.workspace)
    if payload is not None:
        # Check the organisation on a scratch simulator before anything is written.
        entry = JournalEntry(0, 0.0, "init", None, payload, header.account, header.region)
        _apply_or_fail(lambda: apply_entry(build_simulator(header), entry), command)

    def exists(exc: WorkspaceExists) -> exits.CommandError:
        return exits.CommandError(
            f"{command}: {exc}; use `escsim workspace reset`, or another --workspace",
            exits.BAD_ARGUMENTS,
        )

    if os.path.lexists(directory / DATABASE_FILE):
        # Judged before the lock file is made: a damaged one is refused as it is (253).
        Workspace.open(directory).close()
        raise exists(WorkspaceExists(f"{directory} already holds an escsim workspace"))
    with shared(directory):
        try:
            workspace = Workspace.create(directory, header)
        except WorkspaceExists as exc:
            raise exists(exc) from None
        with workspace:
            if payload is not None:
                with workspace.transaction(write=True) as tx:
                    tx.append("init", 0.0, payload, account=header.account, region=header.region)
    what = ""
    if payload is not None:
        what = (
            f" from {args.source}: {len(payload['contacts'])} contacts, "
            f"{len(payload['channels'])} channels, {len(payload['rotations'])} rotations, "
            f"{len(payload['responders'])} responders"
            " (its script was not run)"
        )
    print(
        f"escsim workspace {directory}: account {header.account}, region {header.region}, "
        f"seed {header.seed}, start {dt.datetime.fromtimestamp(header.start, dt.UTC).isoformat()}"
        f"{what}"
    )
    return exits.OK


def _command_region(command: str, given: str | None) -> str | None:
    """``given``, else the environment's or AWS config file's region; an unreadable config file
    is passed over, a bad region name exits 255 with the AWS CLI's words."""
    try:
        return region_override(given, None)
    except InvalidRegion as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.UNEXPECTED) from None
    except ConfigError:
        return None


def _scenario(args: argparse.Namespace, command: str) -> Scenario:
    """The one scenario of ``--from``; a template's resources are read into ``--account`` and
    ``--region`` when given."""
    path, name = args.source, args.scenario
    options = source_options(args, command)
    options = dataclasses.replace(
        options,
        account=args.account or options.account,
        region=args.region or options.region,
    )
    scenarios = chosen_scenarios(load_organisation(path, options), name, command)
    say_notes(scenarios, command)
    if len(scenarios) > 1:
        names = ", ".join(scenario.name for scenario in scenarios)
        raise exits.CommandError(
            f"{command}: {path} holds several scenarios; choose one with --scenario ({names})",
            exits.BAD_ARGUMENTS,
        )
    return scenarios[0]


def _instant(text: str, command: str) -> dt.datetime:
    try:
        return start_instant(text)
    except ValueError as exc:
        raise exits.CommandError(f"{command}: --start: {exc}", exits.BAD_ARGUMENTS) from None


def _apply_or_fail(action: Callable[[], object], command: str) -> None:
    try:
        action()
    except ServiceError as exc:
        lines = [f"{command}: the resources do not import: {exc.message}"]
        for field in exc.members.get("Fields") or []:
            lines.append(f"  {field.get('Name')}: {field.get('Message')}")
        raise exits.CommandError(lines, exits.BAD_FILE) from None
    except ValueError as exc:
        raise exits.CommandError(f"{command}: {exc}", exits.BAD_FILE) from None


def _reset(args: argparse.Namespace) -> int:
    with (
        open_workspace(args.workspace, create=False) as workspace,
        workspace.transaction(write=True) as tx,
    ):
        removed = tx.delete_after_init()
    print(f"escsim workspace {workspace.directory}: removed {removed} journal entries")
    return exits.OK


def _show(args: argparse.Namespace) -> int:
    with open_workspace(args.workspace, create=False) as workspace:
        entries = workspace.entries()
        sim = replay(workspace.header, entries)
        header = workspace.header
    kinds = Counter(entry.kind for entry in entries)
    record = {
        "Workspace": str(workspace.directory),
        "Escsim": header.escsim,
        "Account": header.account,
        "Region": header.region,
        "Seed": header.seed,
        "Start": dt.datetime.fromtimestamp(header.start, dt.UTC).isoformat(),
        "Now": sim.now.isoformat(),
        "Settings": header.knobs,
        "Journal": dict(kinds),
    }
    print(json.dumps(record, indent=2))
    return exits.OK


def _verify(args: argparse.Namespace) -> int:
    verdict = verify(workspace_directory(args.workspace))
    if args.output == "json":
        print(dump_json(verdict.as_dict()))
    else:
        _render_verdict(verdict)
    return exits.OK if verdict.sound else exits.FINDINGS


def _render_verdict(verdict: Verdict) -> None:
    out = Console(highlight=False, soft_wrap=True)
    entries = f"{verdict.entries} journal entr{'y' if verdict.entries == 1 else 'ies'}"
    if verdict.sound:
        out.print(Text(f"{verdict.database}: sound", style="bold green"))
        out.print(
            Text(f"The header and {entries} keep every rule, their checksums and their replay.")
        )
        out.print(Text(f"Head of the checksum chain: {verdict.head}"))
        return
    out.print(Text(f"{verdict.database}: damaged ({entries})", style="bold red"))
    subject = "the header" if verdict.entry is None else f"entry {verdict.entry} ({verdict.what})"
    line = Text("First bad: ", style="bold")
    line.append(subject)
    out.print(line)
    out.print(Text(f"Problem: {verdict.problem}"))
    out.print(
        Text(
            "Every command refuses this workspace (exit 253) until the file is restored from a "
            "copy, or replaced with `escsim workspace init` in a new directory.",
            style="dim",
        )
    )


def _import(args: argparse.Namespace) -> int:
    command = "escsim workspace import"
    payload = _gather(args.files, args.rotation_id, command)
    region = _command_region(command, None)
    with open_workspace(args.workspace) as workspace:
        region = region or workspace.header.region
        account = workspace.header.account
        with workspace.transaction(write=True) as tx:
            sim = replay(workspace.header, tx.entries())
            entry = JournalEntry(0, sim.elapsed, "import", None, payload, account, region)
            _apply_or_fail(lambda: apply_entry(sim, entry), command)
            tx.append("import", sim.elapsed, payload, account=account, region=region)
    counts = ", ".join(f"{len(items)} {kind}" for kind, items in payload.items() if items)
    print(f"escsim workspace {workspace.directory}: imported {counts or 'nothing'}")
    return exits.OK


# Each output `aws ssm-contacts` prints: the keys that tell it, the key of its list of items
# (None: the output is the one item), where its items go and the key of an item's ARN.
_OUTPUTS: tuple[tuple[tuple[str, ...], str | None, str, str], ...] = (
    (("Contacts",), "Contacts", "summaries", "ContactArn"),
    (("ContactChannels",), "ContactChannels", "channels", "ContactChannelArn"),
    (("RotationOverrides",), "RotationOverrides", "overrides", ""),
    (("Rotations",), "Rotations", "rotations", "RotationArn"),
    (("ContactChannelArn",), None, "channels", "ContactChannelArn"),
    (("RotationOverrideId",), None, "overrides", ""),
    (("RotationArn",), None, "rotations", "RotationArn"),
    (("ContactArn", "Alias"), None, "contacts", "ContactArn"),
)


def _gather(files: list[str], rotation_id: str | None, command: str) -> Resources:
    """Contacts, channels, rotations and overrides from ``aws ssm-contacts`` JSON outputs."""
    found: dict[str, dict[str, JsonObject]] = {
        name: {} for name in ("contacts", "summaries", "channels", "rotations")
    }
    pending_overrides: list[tuple[str, JsonObject]] = []
    for path in files:
        data = _read_json(path, command)
        outputs = [o for o in _OUTPUTS if isinstance(data, dict) and all(k in data for k in o[0])]
        if not isinstance(data, dict) or not outputs:
            raise exits.CommandError(
                f"{command}: {path} is not the output of list-contacts, get-contact, "
                "list-contact-channels, get-contact-channel, get-rotation, list-rotations, "
                "list-rotation-overrides or get-rotation-override",
                exits.BAD_FILE,
            )
        _, items_key, collection, arn_key = outputs[0]
        for item in [data] if items_key is None else _items(data, items_key, path, command):
            if collection == "overrides":
                pending_overrides.append((path, item))
            else:
                found[collection][str(item.get(arn_key))] = item
    contacts, rotations = found["contacts"], found["rotations"]
    for arn, summary in found["summaries"].items():
        if arn not in contacts:
            # list-contacts shows no plan: such a contact comes in with an empty one.
            empty = "RotationIds" if summary.get("Type") == "ONCALL_SCHEDULE" else "Stages"
            contacts[arn] = {**summary, "Plan": {empty: []}}
    overrides = []
    for path, item in pending_overrides:
        if item.get("RotationArn"):
            overrides.append(item)
            continue
        rotation = rotation_id or (next(iter(rotations)) if len(rotations) == 1 else None)
        if rotation is None:
            raise exits.CommandError(
                f"{command}: the overrides in {path} do not say their rotation; name it with "
                "--rotation-id ARN",
                exits.BAD_ARGUMENTS,
            )
        overrides.append({"RotationArn": rotation, **item})
    return {
        "contacts": list(contacts.values()),
        "channels": list(found["channels"].values()),
        "rotations": list(rotations.values()),
        "overrides": overrides,
    }


def _read_json(path: str, command: str) -> object:
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise exits.CommandError(f"{command}: cannot read {path}: {exc}", exits.BAD_FILE) from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise exits.CommandError(
            f"{command}: {path} is not JSON (as `aws ... --output json` prints): {exc}",
            exits.BAD_FILE,
        ) from None


def _items(data: JsonObject, key: str, path: str, command: str) -> list[JsonObject]:
    items = data.get(key)
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise exits.CommandError(
            f"{command}: {path}: {key} must be a list of objects", exits.BAD_FILE
        )
    return items


def _export(args: argparse.Namespace) -> int:
    command = "escsim workspace export"
    with open_workspace(args.workspace, create=False) as workspace:
        entries = workspace.entries()
        header = workspace.header
        name = args.name or workspace.directory.resolve().name or "workspace"
    document = _scenario_document(header, entries, name, command)
    text = yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
    text = "# Written by `escsim workspace export`: `escsim run` replays the workspace.\n" + text
    if args.output_file:
        try:
            Path(args.output_file).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise exits.CommandError(
                f"{command}: cannot write {args.output_file}: {exc}", exits.BAD_ARGUMENTS
            ) from None
    else:
        sys.stdout.write(text)
    return exits.OK


def _scenario_document(
    header: Header, entries: list[JournalEntry], name: str, command: str
) -> JsonObject:
    contacts: list[JsonObject] = []
    channels: list[JsonObject] = []
    responders: JsonObject = {}
    script: list[JsonObject] = []
    for entry in entries:
        if (entry.account, entry.region) != (header.account, header.region):
            raise exits.CommandError(
                f"{command}: journal entry {entry.seq} ({entry.operation or entry.kind}) is in "
                f"account {entry.account}, region {entry.region}; a scenario file holds only "
                f"the workspace's ({header.account}, {header.region})",
                exits.BAD_ARGUMENTS,
            )
        if entry.kind in ("init", "import"):
            if entry.params.get("rotations") or entry.params.get("overrides"):
                raise exits.CommandError(
                    f"{command}: journal entry {entry.seq} imported rotations, which scenario "
                    "files cannot hold yet",
                    exits.BAD_ARGUMENTS,
                )
            contacts.extend(entry.params.get("contacts") or [])
            channels.extend(entry.params.get("channels") or [])
            for item in entry.params.get("responders") or []:
                responders[str(item["contact"])] = _responder_document(item["model"])
        elif entry.kind == "request":
            script.append(
                {"at": format_duration(entry.at), str(entry.operation): _jsonable(entry.params)}
            )
    start = dt.datetime.fromtimestamp(header.start, dt.UTC).isoformat().replace("+00:00", "Z")
    document: JsonObject = {
        "version": 1,
        "name": name,
        "description": f"Exported from the escsim workspace {name}",
        "start": start,
        "seed": header.seed,
        "account": header.account,
        "region": header.region,
    }
    optional = {
        "settings": header.knobs,
        "contacts": contacts,
        "channels": channels,
        "responders": responders,
        "script": script,
    }
    document.update((key, value) for key, value in optional.items() if value)
    return document


def _responder_document(model: Mapping[str, object]) -> JsonObject:
    def duration(seconds: Any) -> str:
        return format_duration(float(seconds))

    out = {key: value for key, value in model.items() if value is not None}
    if "acknowledges_after" in out:
        out["acknowledges_after"] = duration(out["acknowledges_after"])
    delay = out.get("delay")
    if isinstance(delay, dict):
        kind, params = next(iter(delay.items()))
        if kind == "fixed":
            out["delay"] = {"fixed": duration(params)}
        else:
            out["delay"] = {
                kind: {k: (v if k == "sigma" else duration(v)) for k, v in params.items()}
            }
    return out


def _jsonable(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value
