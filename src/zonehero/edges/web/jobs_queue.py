"""The web app's handle on the job queue: one :class:`~zonehero.features.jobs.queue.JobQueue` per app.

Built on first use, not in ``create_app``: most requests never queue anything, and a test app's data folder
then gets no queue file it does not need.
"""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from zonehero.features.jobs.queue import JobQueue
from zonehero.features.jobs.service import Enqueue

_lock = threading.Lock()


def job_queue(request: Request) -> JobQueue:
    state = request.app.state
    with _lock:
        queue: JobQueue | None = getattr(state, "job_queue", None)
        if queue is None:
            queue = JobQueue(state.settings)
            state.job_queue = queue
    return queue


def get_enqueue(request: Request) -> Enqueue:
    return job_queue(request).enqueue


EnqueueDep = Annotated[Enqueue, Depends(get_enqueue)]
"""Puts a committed job on the queue (pass it to :func:`zonehero.features.jobs.service.submit`)."""
