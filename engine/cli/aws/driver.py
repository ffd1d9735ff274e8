"""Running one operation command: parse, read input, check, call, print, report errors.

The steps and their failure modes follow the AWS CLI version 2: options are read and unpacked
(JSON, shorthand, ``file://``), ``--cli-input-json``/``--cli-input-yaml`` fill in what the command
line left out, botocore's client-side checks run, and the request goes to the workspace (or to
``--endpoint-url``). stdout carries only the response; every error goes to stderr with the AWS
CLI's wording and exit code (252 bad arguments, 253 unreadable file or workspace, 254 service
error, 255 unexpected, 130 interrupted).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import TextIO

from engine import __version__
from engine.api.paginate import Page
from engine.api.registry import OPERATIONS, Operation, by_cli_name
from engine.arns import DEFAULT_REGION
from engine.cli import exits
from engine.cli.aws import arguments as args_mod
from engine.cli.aws.arguments import Argument, ParamError, UsageError
from engine.cli.aws.config import (
    ConfigError,
    InvalidAccount,
    InvalidRegion,
    account_override,
    empty_region_warning,
    profile_output,
    region_setting,
)
from engine.cli.aws.help import help_text
from engine.cli.aws.options import OUTPUT_FORMATS
from engine.cli.aws.output import OutputOptions, QueryError, write_response
from engine.cli.aws.paginate import PagedResult, PaginationError, Paging, paginate, paging_of
from engine.cli.aws.paramfile import ParamFileError, read_paramfile
from engine.cli.aws.remote import EndpointError, RemoteServiceError, Transport
from engine.cli.aws.session import open_workspace, workspace_errors
from engine.cli.aws.shapes import input_shape, output_shape
from engine.cli.aws.skeleton import input_skeleton, output_sample, yaml_input_skeleton
from engine.cli.aws.table import terminal_width
from engine.cli.aws.validate import ParamValidationError, validate
from engine.cli.aws.wire import shape_structure, to_request
from engine.errors import ServiceError, error_line
from engine.workspace import replay

__all__ = ["USAGE", "run_operation", "usage_error"]

LOG = logging.getLogger("escsim.cli")

USAGE = (
    "usage: escsim [options] <operation> [parameters]\n"
    "To see help text, you can run:\n"
    "\n"
    "  escsim help\n"
    "  escsim <operation> help\n"
    "  escsim --help\n"
)


def _failure(message: object, code: int) -> exits.CommandError:
    """A failure in the AWS CLI's layout on stderr: a blank line, then the message."""
    return exits.CommandError(["", str(message)], code)


def usage_error(message: str, stderr: TextIO) -> int:
    """Print the usage blurb and ``escsim: error: message``; returns 252."""
    stderr.write(USAGE + "\n" + f"escsim: error: {message}\n")
    return exits.BAD_ARGUMENTS


def run_operation(name: str, argv: list[str], *, stdout: TextIO, stderr: TextIO) -> int:
    """Run operation command ``name`` (its CLI name) with ``argv`` (everything but the name)."""
    operation = by_cli_name(name)
    if operation is None:
        raise ValueError(f"{name!r} is not an operation")
    try:
        return _run(operation, argv, stdout, stderr)
    except QueryError as exc:  # the AWS CLI fails so, after the call, with exit 255
        stderr.write(f"\n{exc}\n")
        return exits.UNEXPECTED
    except exits.CommandError as exc:
        for line in exc.lines:
            stderr.write(line + "\n")
        return exc.exit_code


def _run(operation: Operation, argv: list[str], out: TextIO, err: TextIO) -> int:
    if "--help" in argv or "-h" in argv:
        return _help(operation, out)
    arguments = args_mod.arguments_of(operation)
    relaxed = _skeleton_choice(argv) in ("input", "yaml-input") or any(
        flag in argv for flag in ("--cli-input-json", "--cli-input-yaml")
    )
    parser = args_mod.build_parser(operation, arguments, require=not relaxed)
    try:
        parsed, rest = parser.parse_known_args(argv)
    except UsageError as exc:
        # ``escsim <op> help`` with required options missing still shows the help.
        if argv and argv[-1] == "help":
            return _help(operation, out)
        return usage_error(str(exc), err)
    if rest == ["help"]:
        return _help(operation, out)
    if rest:
        err.write(USAGE + "\n" + "Unknown options: " + ", ".join(rest) + "\n")
        return exits.BAD_ARGUMENTS
    if parsed.version:
        out.write(f"escsim {__version__}\n")
        return exits.OK
    if parsed.debug:
        _enable_debug(err)
    LOG.debug("escsim %s, command %s, arguments %r", __version__, operation.cli_name, argv)
    options = _output_options(parsed, out)
    params = _params(arguments, parsed)
    shape = input_shape(operation)
    if parsed.generate_cli_skeleton == "input":
        out.write(input_skeleton(shape))
        return exits.OK
    if parsed.generate_cli_skeleton == "yaml-input":
        out.write(yaml_input_skeleton(shape))
        return exits.OK
    paging = paging_of(operation, parsed, params)
    try:
        validate(params, shape)
    except ParamValidationError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    if parsed.generate_cli_skeleton == "output":
        write_response(operation.name, output_sample(output_shape(operation)), options, out)
        return exits.OK
    request = to_request(params, shape)
    assert isinstance(request, dict)
    LOG.debug("request %s: %r", operation.name, request)
    response = _execute(operation, parsed, request, paging)
    write_response(operation.name, response, options, out)
    return exits.OK


def _help(operation: Operation, out: TextIO) -> int:
    out.write(help_text(operation))
    return exits.OK


def _skeleton_choice(argv: list[str]) -> str | None:
    if "--generate-cli-skeleton" not in argv:
        return None
    index = argv.index("--generate-cli-skeleton") + 1
    following = argv[index] if index < len(argv) else ""
    return following if following in args_mod.SKELETON_CHOICES else "input"


def _enable_debug(err: TextIO) -> None:
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    root = logging.getLogger("escsim")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


def _output_options(parsed: argparse.Namespace, out: TextIO) -> OutputOptions:
    output = (
        parsed.output
        or os.environ.get("AWS_DEFAULT_OUTPUT")
        or profile_output(parsed.profile)
        or "json"
    )
    if output not in OUTPUT_FORMATS:
        raise _failure(f"Unknown output type: {output}", exits.BAD_ARGUMENTS)
    query = None
    if parsed.query is not None:
        # Imported here: jmespath is needed only with --query.
        import jmespath
        from jmespath.exceptions import JMESPathError

        try:
            query = jmespath.compile(parsed.query)
        except (JMESPathError, RecursionError) as exc:  # the parser recurses per parenthesis
            raise _failure(
                f"Bad value for --query {parsed.query}: {exc}", exits.BAD_ARGUMENTS
            ) from None
    colour = parsed.color == "on" or (parsed.color in (None, "auto") and _is_tty(out))
    return OutputOptions(output, query, colour, terminal_width(out))


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _params(arguments: list[Argument], parsed: argparse.Namespace) -> Page:
    params: Page = {}
    try:
        for argument in arguments:
            value = getattr(parsed, argument.dest)
            if value is not None:
                params[argument.member] = args_mod.unpack(argument, value)
        for key, value in _cli_input(parsed).items():
            params.setdefault(key, value)  # the command line wins over the file
    except ParamError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    except ParamFileError as exc:
        raise _failure(exc, exits.BAD_FILE) from None
    return params


def _cli_input(parsed: argparse.Namespace) -> Mapping[str, object]:
    """The members ``--cli-input-json`` or ``--cli-input-yaml`` give (text or ``file://``)."""
    if parsed.cli_input_json is not None and parsed.cli_input_yaml is not None:
        raise ParamError(
            "cli-input-json", "only one of --cli-input-json and --cli-input-yaml may be given"
        )
    if parsed.cli_input_json is not None:
        name, text = "cli-input-json", parsed.cli_input_json
    elif parsed.cli_input_yaml is not None:
        name, text = "cli-input-yaml", parsed.cli_input_yaml
    else:
        return {}
    contents = read_paramfile(text)
    text = text if contents is None else contents
    data = args_mod.load_json(text, name) if name == "cli-input-json" else _load_yaml(text)
    if not isinstance(data, dict):
        raise ParamError(name, f"the input must be an object of members, not {data!r}")
    return data


def _load_yaml(text: str) -> object:
    """``--cli-input-yaml`` read as scenario files are: safe tags only, no duplicate keys, and
    nothing nesting too deeply or expanding through aliases past what any input needs."""
    # Imported here: an operation command loads nothing of the scenario layer otherwise.
    from engine.scenario.errors import ScenarioError
    from engine.scenario.yamlsource import parse_source

    try:
        return parse_source(text, "--cli-input-yaml").data
    except ScenarioError as exc:
        problem = exc.problems[0]
        where = f" (line {problem.line})" if problem.line is not None else ""
        why = problem.message.removeprefix("invalid YAML: ")
        raise ParamError("cli-input-yaml", f"Invalid YAML{where}: {why}") from None


def _execute(
    operation: Operation, parsed: argparse.Namespace, request: Page, paging: Paging
) -> Page | PagedResult:
    try:
        setting = region_setting(parsed.region, parsed.profile)
        account = account_override(parsed.account)
    except InvalidRegion as exc:  # the AWS CLI's wording and exit code
        raise _failure(exc, exits.UNEXPECTED) from None
    except InvalidAccount as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    except ConfigError as exc:
        raise _failure(exc, exits.BAD_FILE) from None
    region = None if setting is None else setting.region
    if parsed.endpoint_url:
        transport = _transport(parsed, region or DEFAULT_REGION)
        LOG.debug("sending %s to %s (region %s)", operation.name, transport.url, transport.region)
        return _call(operation, partial(transport.call, operation.name), request, paging)
    write = not operation.read_only
    with (
        workspace_errors(),
        open_workspace(parsed.workspace, account=account, region=region) as workspace,
    ):
        region = region or workspace.header.region
        account = account or workspace.header.account
        LOG.debug("workspace %s, account %s, region %s", workspace.directory, account, region)
        with workspace.transaction(write=write) as tx:
            started = time.perf_counter()
            entries = tx.entries()
            sim = replay(workspace.header, entries)
            LOG.debug(
                "replayed %d journal entries in %.3f s", len(entries), time.perf_counter() - started
            )
            if setting is not None:
                warning = empty_region_warning(sim, account, setting, workspace.header.region)
                if warning is not None:
                    sys.stderr.write(warning + "\n")
            send = partial(sim.call, operation.name, account=account, region=region)
            response = _call(operation, send, request, paging)
            if write:
                tx.append(
                    "request",
                    sim.elapsed,
                    request,
                    operation=operation.name,
                    account=account,
                    region=region,
                )
                LOG.debug("journaled %s at virtual time %.3f s", operation.name, sim.elapsed)
    return response


def _transport(parsed: argparse.Namespace, region: str) -> Transport:
    try:
        return Transport(
            parsed.endpoint_url,
            region,
            read_timeout=60.0 if parsed.cli_read_timeout is None else parsed.cli_read_timeout,
            verify=not parsed.no_verify_ssl,
            ca_bundle=parsed.ca_bundle,
        )
    except EndpointError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None


def _call(
    operation: Operation, send: Callable[[Page], Page], request: Page, paging: Paging
) -> Page | PagedResult:
    """Every page (or the one answer) of ``send``, in the model's member order; errors as the
    AWS CLI reports them."""
    result_shape = output_shape(operation)

    def call(params: Page) -> Page:
        return shape_structure(send(params), result_shape)

    try:
        return paginate(operation, call, request, paging)
    except PaginationError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    except (ServiceError, RemoteServiceError) as exc:
        line = error_line(exc.code, operation.name, exc.message)
        raise _failure(line, exits.SERVICE_ERROR) from None
    except EndpointError as exc:
        raise _failure(exc, exits.UNEXPECTED) from None


def operation_names() -> Iterable[str]:
    """Every operation's CLI name, in the model's order."""
    return [op.cli_name for op in OPERATIONS.values()]
