"""How a job process ends: with its parent, and on SIGTERM even when idle.

``zonehero worker`` runs huey's consumer, which forks the worker processes that run jobs and a scheduler
process. huey stops them through a flag that only the consumer sets, and its SIGTERM handler in a child
interrupts a job in flight but ignores the signal when the child is idle. So when the consumer itself was
killed (SIGKILL, an OOM kill, a benchmark's process group torn down), its children stayed alive for good and
ignored ``kill``. Each child therefore asks Linux for SIGTERM when its parent dies, and treats SIGTERM as "stop
now" whether or not a job runs; an interrupted job is recovered by the heartbeat of any live worker
(:func:`zonehero.features.jobs.runner.recover_stale`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import signal
from types import FrameType
from typing import Any

from huey.consumer import Consumer, ProcessEnvironment

PR_SET_PDEATHSIG = 1
"""prctl option: the signal this process receives when the thread that forked it exits (Linux)."""


def die_with_parent(sig: signal.Signals = signal.SIGTERM) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies, however it dies (even SIGKILL).

    Elsewhere than Linux this does nothing; the parent's own shutdown stops its children there.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig)
    except (OSError, AttributeError):
        pass


def _stop_now(_signum: int, _frame: FrameType | None) -> None:
    # huey's worker loop ends on KeyboardInterrupt (idle or in a job) and runs its shutdown hooks.
    raise KeyboardInterrupt


class _JobProcesses(ProcessEnvironment):  # type: ignore[misc]
    """huey's process environment, whose children (the job workers and the scheduler) end as described above."""

    def init_child(self, process: Any) -> None:
        super().init_child(process)
        signal.signal(signal.SIGTERM, _stop_now)
        die_with_parent(signal.SIGTERM)


class JobConsumer(Consumer):  # type: ignore[misc]
    """huey's consumer with worker processes that end with it (:class:`_JobProcesses`)."""

    def get_environment(self, worker_type: str) -> ProcessEnvironment:
        if worker_type != "process":
            raise ValueError("zonehero 的任务进程只支持 worker_type='process' / process workers only")
        return _JobProcesses(self._graceful_sig, self._interrupt_sig)
