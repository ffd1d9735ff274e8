"""The console's pages from Jinja2 templates kept in the package, with autoescaping always on:
whatever a message, note or reason holds is shown as text, never read as HTML."""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Final

import jinja2

#: Asset name -> (media type, file in engine/console/static).
ASSETS: Final = {
    "console.css": "text/css; charset=utf-8",
    "console.js": "text/javascript; charset=utf-8",
}


def _clock(epoch: float | None) -> str:
    """``09:05:00`` (UTC), or a dash for no instant."""
    if epoch is None:
        return "-"
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%H:%M:%S")


def _instant(epoch: float | None) -> str:
    """``2026-01-01 09:05:00 UTC``, or a dash."""
    if epoch is None:
        return "-"
    return dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _iso(epoch: float) -> str:
    return dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat().replace("+00:00", "Z")


def _tail(arn: str) -> str:
    """The last part of an ARN: a page's or an engagement's id."""
    return arn.rsplit("/", 1)[-1]


def _pace(factor: float) -> str:
    return "real time" if factor == 1.0 else f"{factor:g} times real time"


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on, undefined names an error."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("engine.console", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(clock=_clock, instant=_instant, iso=_iso, tail=_tail, pace=_pace)
    return env


def render(template: str, **values: object) -> bytes:
    """``template`` filled with ``values``, as UTF-8."""
    return environment().get_template(template).render(**values).encode("utf-8")


@cache
def asset(name: str) -> bytes:
    """The bytes of a static asset named in ASSETS."""
    return resources.files("engine.console").joinpath("static", name).read_bytes()
