"""The ``escsim`` command line: a thin front end over the simulator and the scenario runner.

``engine.cli.main:main`` is the console script. Each command lives in its own module with
``add_arguments(parser)`` and ``handle(args) -> int``; only the module of the command given is
imported (:mod:`engine.cli.main`), so start-up pays for that command alone.
"""
