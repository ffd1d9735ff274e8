"""The ``escsim`` command line: a thin front end over the simulator and the scenario runner.

``engine.cli.main:main`` is the console script. Each command lives in its own module with
``add_arguments(parser)`` and ``handle(args) -> int``; heavy libraries are imported inside
``handle`` so that start-up stays fast.
"""
