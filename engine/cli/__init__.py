"""The ``escsim`` command line: one module per command, each with ``add_arguments(parser)``
and ``handle(args) -> int``; :mod:`engine.cli.main` is the console script."""
