"""The pure cores (纯计算核心): data in, data out.

Each package here (domain, evaluation, ingest, schedule, cultivation, land,
targets) takes frames, records and schemes and returns results, so the same
rule gives the same answer in the web app, the CLI, a job and a test. Nothing
here opens a file for writing, a database or a socket, reads ``Settings`` or
the clock, or imports a framework (SQLAlchemy, FastAPI, Typer) or
``zonehero.reports``: import-linter enforces it. Cores may import each other
and ``zonehero.errors``.
"""
