"""The escsim console: a live web page for a running endpoint, at ``/_escsim/console``.

Inboxes (every message each person was sent, as they would see it), engagements with their
timelines, actions as each person (acknowledge, mark delivered, stop, start), the clock and who
is on call, from server-rendered templates kept in this package (``templates/``, ``static/``:
nothing is fetched from the network), updated live through a Server-Sent Events stream.
:func:`mount` adds it to an endpoint's ASGI app; everything it shows or does goes through the
endpoint's ``Simulator``, as every other front end does.
"""

from engine.console.app import ROOT, Console, mount

__all__ = ["ROOT", "Console", "mount"]
