"""What a scenario expects of its run (``expect:`` and a detailed ``expect_error``), and checking
a run against it.

Two floors, importing only downwards: the language below the loader and the runner (``model``,
``values``), and the checking above the runner (``facts``, ``rows``, ``diff``, ``checks``,
``compile``, ``report``). Front ends compile the expectations right after loading a file
(:func:`.compile.compile_checks`), so a bad name in ``expect:`` is a file error like any other.
"""
