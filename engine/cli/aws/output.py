"""Printing a response: ``--query``, then ``--output json|text|table|yaml|yaml-stream``.

Responses arrive as dicts (one call) or as a :class:`~engine.cli.aws.paginate.PagedResult`
(list commands following ``NextToken``). Timestamps are printed as ISO 8601 strings, as the AWS
CLI version 2 prints them. json, text and table follow the AWS CLI's layout byte for byte. A
query that fails on the response (an unknown function, a wrong type) raises :class:`QueryError`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any, TextIO

from engine.api.paginate import Page, PagedResult
from engine.cli.aws.table import render_table
from engine.cli.aws.text import write_text

__all__ = ["OutputOptions", "QueryError", "iso_timestamps", "write_response"]


@dataclasses.dataclass(frozen=True)
class OutputOptions:
    """How to print: format, compiled ``--query`` (or None), colours, terminal width."""

    output: str = "json"
    query: Any = None
    colour: bool = False
    width: int = 80


class QueryError(Exception):
    """``--query`` failed on the response (an unknown function, a value of the wrong type);
    the message is jmespath's, as the AWS CLI prints it."""


def iso_timestamps(value: object) -> object:
    """``value`` with every datetime replaced by its ISO 8601 text (AWS CLI v2 style)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: iso_timestamps(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [iso_timestamps(item) for item in value]
    return value


def write_response(
    command: str, response: Page | PagedResult, options: OutputOptions, stream: TextIO
) -> None:
    """Write ``response`` of operation ``command`` (its AWS name, the table's title)."""
    if options.output in ("text", "yaml-stream") and isinstance(response, PagedResult):
        # Each page is printed on its own, as it arrives, as the AWS CLI prints these.
        key, token = response.result_key, response.resume_token
        pages: list[Page] = [{key: page.get(key)} for page in response.pages]
        if options.output == "text":
            for page in pages:
                write_text(_query(iso_timestamps(page), options), stream)
            if token is not None:
                write_text(_query({"NextToken": {"NextToken": token}}, options), stream)
            return
        if token is not None:
            pages[-1] = {**pages[-1], "NextToken": token}
    else:
        pages = [response.full_result() if isinstance(response, PagedResult) else response]
    if options.output == "yaml-stream":
        for page in pages:
            stream.write(_yaml([_query(iso_timestamps(page), options)]))
        return
    data = _query(iso_timestamps(pages[0]), options)
    if options.output == "json":
        if data != {}:
            stream.write(json.dumps(data, indent=4, ensure_ascii=False) + "\n")
    elif options.output == "text":
        write_text(data, stream)
    elif options.output == "table":
        render_table(command, data, stream, colour=options.colour, width=options.width)
    elif options.output == "yaml":
        if data != {}:
            stream.write(_yaml(data))
    else:
        raise ValueError(f"Unknown output type: {options.output}")


def _query(data: object, options: OutputOptions) -> object:
    if options.query is None:
        return data
    from jmespath.exceptions import JMESPathError

    try:
        return options.query.search(data)
    except JMESPathError as exc:
        raise QueryError(str(exc)) from None
    except RecursionError:
        raise QueryError("Bad value for --query: it nests too deeply to evaluate") from None


def _yaml(data: object) -> str:
    import yaml

    text: str = yaml.safe_dump(
        data, sort_keys=False, default_flow_style=False, allow_unicode=True, width=1 << 16
    )
    return text
