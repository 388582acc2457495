"""Jobs (后台任务): long work (all notices of a run, the annual report, the export of every enterprise, run
creation, the confirm of a large import) queued, run by job workers with progress, cancel, retry and a
downloadable result.

The queue itself is huey (:mod:`zonehero.features.jobs.queue`); the ``jobs`` table is the record users see and
the one source of truth about a job's state. May import config, db, reports, core and other features' services.
"""
