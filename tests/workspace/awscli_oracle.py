"""The real AWS CLI as a test oracle, run in a child process.

Importing ``awscli`` makes every later ``import botocore`` load awscli's own copy of botocore,
which would change what other tests in the same process see; so the AWS CLI only ever runs in a
child process. :func:`ask` sends it a batch of questions (JSON) and returns its answers:

- ``{"op": "skeleton", "command": "start-engagement"}``: what ``aws ssm-contacts <command>
  --generate-cli-skeleton`` prints;
- ``{"op": "format", "output": "json|text|table", "command": "ListContacts", "data": ...,
  "query": ...}``: what the AWS CLI's formatter prints for that response;
- ``{"op": "format_pages", "output": ..., "command": ..., "pages": [...], "result_key": ...,
  "max_items": ..., "starting_token": ..., "page_size": ..., "query": ...}``: the same for a list
  command that pages (pages are chained by their NextToken, "1", "2"...);
- ``{"op": "shorthand", "operation": "CreateContact", "member": "Plan", "text": ...}``: the value
  the AWS CLI sends for ``--<member> <text>``, or its error message;
- ``{"op": "validate", "operation": ..., "params": ...}``: botocore's client-side report ('' when
  the parameters pass);
- ``{"op": "query_error", "output": ..., "command": ..., "data": ..., "query": ...}``: the message
  the AWS CLI prints (exit 255) when ``--query`` fails on that response, '' when it does not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

__all__ = ["ask"]


def ask(questions: list[dict[str, Any]]) -> list[Any]:
    """Answers of the real AWS CLI to ``questions``, in order (run in a child process)."""
    env = {
        **os.environ,
        "AWS_DEFAULT_REGION": "us-east-2",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true",
    }
    done = subprocess.run(
        [sys.executable, __file__],
        input=json.dumps(questions),
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the AWS CLI oracle failed:\n{done.stderr}")
    answers: list[Any] = json.loads(done.stdout)
    return answers


# -- the child process ---------------------------------------------------------------------


def _answer(question: dict[str, Any]) -> Any:
    op = question["op"]
    if op == "skeleton":
        return _skeleton(question["command"], question.get("mode", "input"))
    if op == "format":
        return _format(question)
    if op == "format_pages":
        return _format_pages(question)
    if op == "shorthand":
        return _shorthand(question)
    if op == "validate":
        return _validate(question)
    if op == "query_error":
        try:
            _format(question)
        except Exception as exc:  # what the AWS CLI's main loop prints before exiting 255
            return str(exc)
        return ""
    raise ValueError(op)


def _skeleton(command: str, mode: str) -> str:
    import contextlib
    import io

    from awscli.clidriver import create_clidriver

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = create_clidriver().main(["ssm-contacts", command, "--generate-cli-skeleton", mode])
    if code != 0:
        raise RuntimeError(f"aws {command} --generate-cli-skeleton exited {code}")
    return buffer.getvalue()


def _args(question: dict[str, Any]) -> Any:
    import argparse

    import jmespath

    query = question.get("query")
    return argparse.Namespace(
        query=jmespath.compile(query) if query else None, color=question.get("color", "off")
    )


def _format(question: dict[str, Any]) -> str:
    import io

    from awscli.formatter import get_formatter

    stream = io.StringIO()
    formatter = get_formatter(question["output"], _args(question))
    formatter(question["command"], question["data"], stream)
    return stream.getvalue()


def _format_pages(question: dict[str, Any]) -> str:
    import io

    import jmespath
    from awscli.formatter import PageIterator, get_formatter

    pages = question["pages"]

    def method(**kwargs: Any) -> dict[str, Any]:
        index = int(kwargs.get("NextToken") or 0)
        return json.loads(json.dumps(pages[index]))

    iterator = PageIterator(
        method,
        ["NextToken"],
        [jmespath.compile("NextToken")],
        None,
        [jmespath.compile(question["result_key"])],
        [],
        "MaxResults",
        question.get("max_items"),
        question.get("starting_token"),
        question.get("page_size"),
        {},
    )
    stream = io.StringIO()
    get_formatter(question["output"], _args(question))(question["command"], iterator, stream)
    return stream.getvalue()


def _operation_model(name: str) -> Any:
    import botocore.session

    return botocore.session.get_session().get_service_model("ssm-contacts").operation_model(name)


def _shorthand(question: dict[str, Any]) -> Any:
    from awscli.argprocess import ParamError, ParamShorthandParser, unpack_cli_arg
    from awscli.arguments import CLIArgument
    from botocore import xform_name

    model = _operation_model(question["operation"])
    member = question["member"]
    argument = CLIArgument(xform_name(member, "-"), model.input_shape.members[member], model, None)
    text = question["text"]
    value: Any = text if model.input_shape.members[member].type_name != "list" else [text]
    try:
        parsed = ParamShorthandParser()(
            argument, value, f"process-cli-arg.ssm-contacts.{model.name}"
        )
        if parsed is None:
            parsed = unpack_cli_arg(argument, value)
        return {"value": parsed}
    except ParamError as exc:
        return {"error": str(exc)}
    except ValueError as exc:  # the AWS CLI lets these through as a bare message (exit 255)
        return {"error": str(exc)}


def _validate(question: dict[str, Any]) -> str:
    from botocore.validate import ParamValidator

    model = _operation_model(question["operation"])
    report = ParamValidator().validate(question["params"], model.input_shape)
    return report.generate_report() if report.has_errors() else ""


def _main() -> None:
    questions = json.loads(sys.stdin.read())
    import awscli  # noqa: F401  (aliases botocore to awscli's copy, as the aws command does)

    answers = [_answer(question) for question in questions]
    sys.stdout.write(json.dumps(answers))


if __name__ == "__main__":
    _main()
