"""Policy review: lint, coverage proof, Monte Carlo forecast and diff of an organisation.

``escsim review``, ``escsim diff`` and ``escsim graph`` are thin front ends over this package:

- :mod:`engine.review.inputs` reads a scenario file or a workspace into a :class:`ReviewInput`;
- :mod:`engine.review.lint` lists findings from the shared catalogue (``engine.findings``);
- :mod:`engine.review.gaps` proves coverage of every escalation plan and schedule over a window;
- :mod:`engine.review.incidents` and :mod:`engine.review.responders` are the workload models;
- :mod:`engine.review.forecast` runs replications and aggregates them with confidence intervals,
  on the executors of :mod:`engine.review.executors`;
- :mod:`engine.review.load` measures per-person load and fairness;
- :mod:`engine.review.diff` compares two versions through the same incidents and draws;
- :mod:`engine.review.report` writes the HTML report; :mod:`engine.review.export` dot and mermaid.

Nothing here is imported by the engine itself; heavy optional packages (matplotlib, dask) are
imported only where they are used.
"""
