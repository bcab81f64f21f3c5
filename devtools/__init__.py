"""Developer tooling shared by ``tests/`` and ``benchmarks/`` (neither imports the other):
``headless`` starts the dashboard on a free port and drives it in headless system Chromium.
Not part of the library or the app; ``geo/`` and ``dashboard/`` never import it."""
