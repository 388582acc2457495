"""Page cost against zone size (issue 11 parts 5 and 7): each page's median and p95 at two sizes, and the ratio.

Seeds the demo zone at a small and a large size (``--small 1000 --large 100000`` by default) into fresh stores
(SQLite files, or PostgreSQL databases under ``--pg URL`` of a server you started), each the way an operator
would: the demo's xlsx/CSV files imported through the import service, a run made for each year (the older one
published and made final). Then it asks each page ``--requests`` times through the real application in process
(FastAPI's TestClient: routing, dependencies, the database, the templates; no network) as the read-only leader,
and prints each page's median and p95 at both sizes, the ratio, and the verdict against the targets of issue 11:
p95 <= 300 ms at the large size and within 1.5x of the small size's p95. The seeding times (import confirm and
run creation inside ``seed_demo``) are printed too. The machine's load average is printed beside every figure.

    .venv/bin/python benchmarks/bench_pages.py [--small 1000] [--large 100000] [--requests 20] [--pg URL] [--keep DIR]

``--keep DIR`` keeps the seeded SQLite zones in DIR and reuses them on the next run (seeding 100,000 takes minutes).

A missed target is reported, not an error: the script exits 0 unless a page answers other than 200.
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # Imported only here: each parse child runs this file's top level again (see pages.py).
    from pages import main

    sys.exit(main(__doc__ or ""))
