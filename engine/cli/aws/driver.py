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
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TextIO

from engine import __version__
from engine.api.registry import OPERATIONS, Operation, by_cli_name
from engine.arns import DEFAULT_REGION
from engine.cli import exits
from engine.cli.aws import arguments as args_mod
from engine.cli.aws.arguments import Argument, ParamError, UsageError
from engine.cli.aws.config import (
    ConfigError,
    InvalidAccount,
    InvalidRegion,
    RegionSetting,
    account_override,
    profile_output,
    region_setting,
)
from engine.cli.aws.help import help_text
from engine.cli.aws.output import OutputOptions, QueryError, write_response
from engine.cli.aws.paginate import PagedResult, PaginationError, Paging, paginate, paging_of
from engine.cli.aws.paramfile import ParamFileError, read_paramfile
from engine.cli.aws.region_hint import empty_region_warning
from engine.cli.aws.remote import EndpointError, RemoteServiceError, Transport
from engine.cli.aws.session import open_workspace, workspace_errors
from engine.cli.aws.shapes import input_shape, output_shape
from engine.cli.aws.skeleton import input_skeleton, output_sample, yaml_input_skeleton
from engine.cli.aws.table import terminal_width
from engine.cli.aws.validate import ParamValidationError, to_request, validate
from engine.cli.aws.wire import shape_response
from engine.errors import ServiceError, error_line
from engine.workspace import replay

if TYPE_CHECKING:
    from engine.simulator import Simulator

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


def run_operation(
    name: str, argv: list[str], *, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run operation command ``name`` (its CLI name) with ``argv`` (everything but the name)."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    operation = by_cli_name(name)
    if operation is None:
        raise ValueError(f"{name!r} is not an operation")
    try:
        return _run(operation, argv, out, err)
    except QueryError as exc:  # the AWS CLI fails so, after the call, with exit 255
        err.write(f"\n{exc}\n")
        return exits.UNEXPECTED
    except exits.CommandError as exc:
        for line in exc.lines:
            err.write(line + "\n")
        return exc.exit_code


def _run(operation: Operation, argv: list[str], out: TextIO, err: TextIO) -> int:
    if "--help" in argv or "-h" in argv:
        return _help(operation, out)
    arguments = args_mod.arguments_of(operation)
    skeleton = _skeleton_choice(argv)
    relaxed = skeleton in ("input", "yaml-input") or any(
        flag in argv for flag in ("--cli-input-json", "--cli-input-yaml")
    )
    parser = args_mod.build_parser(operation, arguments, require=not relaxed)
    try:
        parsed, rest = parser.parse_known_args(argv)
    except UsageError as exc:
        if rest_is_help(argv):
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
    params = _params(operation, arguments, parsed, argv)
    shape = input_shape(operation)
    if parsed.generate_cli_skeleton in ("input", "yaml-input"):
        text = (
            input_skeleton(shape)
            if parsed.generate_cli_skeleton == "input"
            else (yaml_input_skeleton(shape))
        )
        out.write(text)
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
    LOG.debug("request %s: %r", operation.name, request)
    response = _execute(operation, parsed, request, paging)
    write_response(operation.name, response, options, out)
    return exits.OK


def rest_is_help(argv: list[str]) -> bool:
    """``escsim <op> help`` with required options missing still shows the help."""
    return bool(argv) and argv[-1] == "help"


def _help(operation: Operation, out: TextIO) -> int:
    out.write(help_text(operation))
    return exits.OK


def _skeleton_choice(argv: list[str]) -> str | None:
    if "--generate-cli-skeleton" not in argv:
        return None
    index = argv.index("--generate-cli-skeleton")
    following = argv[index + 1] if index + 1 < len(argv) else ""
    return following if following in args_mod.SKELETON_CHOICES else "input"


def _enable_debug(err: TextIO) -> None:
    handler = logging.StreamHandler(err)
    handler.setFormatter(logging.Formatter("%(asctime)s - %(name)s - %(levelname)s - %(message)s"))
    root = logging.getLogger("escsim")
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)


def _output_options(parsed: argparse.Namespace, out: TextIO) -> OutputOptions:
    output = parsed.output or os.environ.get("AWS_DEFAULT_OUTPUT") or None
    if output is None:
        try:
            output = profile_output(parsed.profile)
        except ConfigError:
            output = None
    output = output or "json"
    if output not in ("json", "text", "table", "yaml", "yaml-stream"):
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


def _params(
    operation: Operation,
    arguments: list[Argument],
    parsed: argparse.Namespace,
    argv: list[str],
) -> dict[str, Any]:
    params: dict[str, Any] = {}
    try:
        for argument in arguments:
            value = getattr(parsed, argument.dest)
            if value is None:
                continue
            params[argument.member] = args_mod.unpack(argument, value)
        _merge_cli_input(params, parsed)
    except ParamError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    except ParamFileError as exc:
        raise _failure(exc, exits.BAD_FILE) from None
    return params


def _merge_cli_input(params: dict[str, Any], parsed: argparse.Namespace) -> None:
    if parsed.cli_input_json is not None and parsed.cli_input_yaml is not None:
        raise ParamError(
            "cli-input-json",
            "only one of --cli-input-json and --cli-input-yaml may be given",
        )
    if parsed.cli_input_json is not None:
        text = read_paramfile(parsed.cli_input_json)
        text = parsed.cli_input_json if text is None else text
        data = args_mod.load_json(text, "cli-input-json")
        name = "cli-input-json"
    elif parsed.cli_input_yaml is not None:
        text = read_paramfile(parsed.cli_input_yaml)
        text = parsed.cli_input_yaml if text is None else text
        data = _load_yaml(text)
        name = "cli-input-yaml"
    else:
        return
    if not isinstance(data, dict):
        raise ParamError(name, f"the input must be an object of members, not {data!r}")
    for key, value in data.items():
        # The command line wins over the file.
        if key not in params:
            params[key] = value


def _load_yaml(text: str) -> Any:
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
    operation: Operation, parsed: argparse.Namespace, request: dict[str, Any], paging: Paging
) -> dict[str, Any] | PagedResult:
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
    result_shape = output_shape(operation)
    if parsed.endpoint_url:
        return _execute_remote(operation, parsed, request, paging, region)
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
                "replayed %d journal entries in %.3f s",
                len(entries),
                time.perf_counter() - started,
            )
            if setting is not None:
                _warn_if_empty(sim, account, setting, workspace.header.region)

            def call(params: dict[str, Any]) -> dict[str, Any]:
                answer = shape_response(
                    sim.call(operation.name, params, account=account, region=region), result_shape
                )
                assert isinstance(answer, dict)
                return answer

            try:
                response = _call(operation, call, request, paging)
            except ServiceError as exc:
                raise _failure(
                    error_line(exc.code, operation.name, exc.message), exits.SERVICE_ERROR
                ) from None
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


def _warn_if_empty(
    sim: Simulator, account: str, setting: RegionSetting, workspace_region: str
) -> None:
    warning = empty_region_warning(sim, account, setting, workspace_region)
    if warning is not None:
        sys.stderr.write(warning + "\n")


def _call(
    operation: Operation,
    call: Callable[[dict[str, Any]], dict[str, Any]],
    request: dict[str, Any],
    paging: Paging,
) -> dict[str, Any] | PagedResult:
    try:
        return paginate(operation, call, request, paging)
    except PaginationError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None


def _execute_remote(
    operation: Operation,
    parsed: argparse.Namespace,
    request: dict[str, Any],
    paging: Paging,
    region: str | None,
) -> dict[str, Any] | PagedResult:
    try:
        transport = Transport(
            parsed.endpoint_url,
            region or DEFAULT_REGION,
            read_timeout=60.0 if parsed.cli_read_timeout is None else parsed.cli_read_timeout,
            verify=not parsed.no_verify_ssl,
            ca_bundle=parsed.ca_bundle,
        )
    except EndpointError as exc:
        raise _failure(exc, exits.BAD_ARGUMENTS) from None
    result_shape = output_shape(operation)
    LOG.debug("sending %s to %s (region %s)", operation.name, transport.url, transport.region)

    def call(params: dict[str, Any]) -> dict[str, Any]:
        answer = shape_response(transport.call(operation.name, params), result_shape)
        assert isinstance(answer, dict)
        return answer

    try:
        return _call(operation, call, request, paging)
    except RemoteServiceError as exc:
        raise _failure(
            error_line(exc.code, operation.name, exc.message), exits.SERVICE_ERROR
        ) from None
    except EndpointError as exc:
        raise _failure(exc, exits.UNEXPECTED) from None


def operation_names() -> Iterable[str]:
    """Every operation's CLI name, in the model's order."""
    return [op.cli_name for op in OPERATIONS.values()]
