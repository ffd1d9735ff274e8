"""What a scenario expects of its run (``expect:`` and a step's detailed ``expect_error``), and
checking a run against it.

The package spans two floors of the scenario layer, and imports only downwards:

- the language, below the loader and the runner: ``model`` (the pydantic shape of ``expect:``
  and ``expect_error``, part of the file format) and ``values`` (matching one expected value,
  text or error against what a run produced);
- the checking, above the runner: ``facts`` (what a finished run did, as rows), ``rows`` and
  ``diff`` (matching and showing them), ``checks`` (what an ``expect:`` block compiles to),
  ``compile`` (compiling the blocks of loaded scenarios, checking every name they use) and
  ``report`` (``check_scenario``: run, check, report).

Front ends compile the expectations right after loading a file (:func:`.compile.compile_checks`),
so a bad name in ``expect:`` is a file error like any other. This module imports nothing, so the
file format can use the language without loading the checking.
"""
