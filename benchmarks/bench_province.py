"""A province on PostgreSQL (issue 11 part 7): 100,000 enterprises over 5 years, the year's work, pages and a load run.

Seeds a province-sized demo zone the way an operator would load it: each year's department files written by the
demo generator (``zonehero.demo``), previewed, confirmed (the import confirm, timed), evaluated into a run (run
creation, timed), and every year but the last put into 公示 and made final (both timed). A small zone (``--small``)
is seeded the same way for the page ratios. Then it prints, each figure with the machine's load average:

- import confirm and run creation per year (targets <= 60 s and <= 20 s), 公示 and 定稿;
- each page of ``bench_pages.py`` (same list, same measuring: the application in process, ``--requests`` GETs as
  the leader), median and p95 at both sizes and the ratio (targets p95 <= 300 ms, ratio <= 1.5);
- the notice rate, notices per second with and without the 升类路径, measured through the job API on real worker
  processes: a ``notices_zip`` job is submitted for the final run, its progress followed until ``--notices``
  notices are done (or ``--notice-seconds`` have passed) and then cancelled (target >= 30/s with the 升类路径);
- a load run: ``zonehero serve --workers 2`` and two ``zonehero worker`` processes on the PostgreSQL, 50 sessions
  (threads with httpx) each logged in as the leader and looping over the pages with a 2 s think time for
  ``--load-seconds``, while the analyst uploads and confirms next year's files and a ``notices_zip`` job runs;
  requests/s, p50/p95/p99 and errors (targets 0 errors, p95 <= 800 ms).

    .venv/bin/python benchmarks/bench_province.py [--n 100000] [--years 5] [--small 1000] [--requests 20]
        [--load-seconds 180] [--sessions 50] [--notices 50] [--notice-seconds 300] [--keep DIR] [--pg URL]

PostgreSQL: a throwaway server (Debian's binaries, as the tests start it, but with fsync on), or ``--pg URL`` of
a running one (its maintenance database, e.g. ``postgresql+psycopg://app@127.0.0.1:5432/postgres``). ``--keep
DIR`` keeps the server's cluster (or, with ``--pg``, its databases), the data folders and the seeding figures in
DIR: the next run with the same DIR starts from a copy of the seeded databases (``CREATE DATABASE … TEMPLATE``)
instead of seeding again (100,000 × 5 years takes a long time), and prints the kept seeding figures.

A missed target is reported (PASS/FAIL), not an error: the script exits 0 unless something fails (a page other
than 200 in the measurement, a process that does not start, a job that fails).
"""

from __future__ import annotations

import sys

if __name__ == "__main__":
    # Imported only here: each parse child runs this file's top level again (see province.py).
    from province import main

    sys.exit(main(__doc__ or ""))
