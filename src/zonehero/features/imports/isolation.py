"""Untrusted files parsed in a separate, limited process (隔离解析): a hostile file costs a child, never the server.

The claims check (:mod:`zonehero.core.ingest.guard`) refuses what a file *says* it holds; what it *does* when read
is bounded here. :func:`run_isolated` runs one reader (a path in, parsed tables out) in a child process with an
address-space limit (``RLIMIT_AS``) and a wall-clock limit, and hands the result back pickled (Polars frames pickle
as Arrow IPC). A child that runs out of memory or time is killed and the caller gets an ``InputError`` naming the
file and the limit; the web process or job worker that asked goes on serving. Every import of department files goes
through here (web preview, ``zonehero import``, the confirm job, progress uploads): one place for the rule.

Children come from a fork server (``multiprocessing``'s ``forkserver``), a clean process started once per asking
process with the readers already imported (but no Polars thread pool, which each child starts for itself), so a
child costs a fork and its limits (about 30-80 ms, ``benchmarks/bench_parse.py``) rather than an interpreter start
with Polars (about 0.5 s), and never inherits the web server's threads, sockets or database connections. A process
forked after it started its fork server (the server belongs to its parent) falls back to ``spawn``. Linux only:
the limits are rlimits and the child is watched through ``/proc``.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.context import ForkServerContext, SpawnContext
from pathlib import Path
from typing import Any, TypeVar

from zonehero.config import Settings
from zonehero.core.ingest import DEFAULT_MAX_BYTES, SourceRead, SourceReader
from zonehero.core.ingest.guard import ReadLimits, use_limits
from zonehero.core.ingest.sources import read_one
from zonehero.errors import InputError, InputProblem

T = TypeVar("T")

PRELOAD = ["__main__", __name__, "zonehero.core.ingest", "zonehero.core.schedule.importer", "python_calamine"]
"""Imported once in the fork server, so each child starts with them (``__main__`` is multiprocessing's default)."""

CPU_BACKSTOP_FACTOR = 4
"""A child's own CPU limit, in multiples of the time limit (plus 10 s): it ends a child whose asker died (only the
asker enforces the wall clock). Generous because Polars may use several cores at once."""

_MEMORY_SIGNALS = {signal.SIGABRT, signal.SIGKILL, signal.SIGSEGV, signal.SIGBUS}
"""How a child dies when an allocation fails: Rust aborts, the kernel kills, C code may touch a failed mmap."""
_TIME_SIGNALS = {signal.SIGXCPU}
_EXIT_OUT_OF_MEMORY = 86
"""The child's exit code when even the short "out of memory" message could not be sent."""

POLL_SECONDS = 0.25
"""How often the asker looks at a running child (its messages wake it at once)."""
STALL_SECONDS = 2.0
"""A child at its memory ceiling that used no CPU for this long is stuck, not working: it is killed."""

_M_ARENA_MAX = -8
"""glibc ``mallopt`` parameter: with one arena, Polars' threads do not each reserve 64 MB of address space."""


@dataclass(frozen=True)
class ParseLimits:
    """What one file's parse may cost: memory above the child's start, wall-clock seconds, and the claims limits."""

    memory_mb: int = 2048
    seconds: float = 120.0
    read: ReadLimits = field(default_factory=ReadLimits)


def parse_limits(settings: Settings) -> ParseLimits:
    """The limits of ``settings`` (``ZONEHERO_IMPORT_PARSE_*`` and the claims limits ``ZONEHERO_IMPORT_MAX_*``)."""
    return ParseLimits(
        memory_mb=settings.import_parse_memory_mb,
        seconds=settings.import_parse_seconds,
        read=ReadLimits(
            max_rows=settings.import_max_rows,
            max_cells=settings.import_max_cells,
            max_uncompressed_bytes=settings.import_max_unpacked_bytes,
            max_compression_ratio=settings.import_max_zip_ratio,
        ),
    )


def _refusal(path: Path, message: str) -> InputError:
    return InputError(InputProblem(f"{message}，已拒绝，未导入任何数据", file=path.name))


def _over_memory(path: Path, limits: ParseLimits) -> InputError:
    return _refusal(
        path,
        f"解析超过内存上限 {limits.memory_mb:,} MB（文件可能是恶意构造的；确为正常的大文件请拆分，"
        "或请管理员调高 ZONEHERO_IMPORT_PARSE_MEMORY_MB）",
    )


def _over_time(path: Path, limits: ParseLimits) -> InputError:
    return _refusal(
        path,
        f"解析超过时间上限 {limits.seconds:g} 秒（文件可能是恶意构造的；确为正常的大文件请拆分，"
        "或请管理员调高 ZONEHERO_IMPORT_PARSE_SECONDS）",
    )


class ParseCrashed(RuntimeError):
    """The reader failed in the child with an unexpected error (a bug, not the file): shown as an internal error."""


# --- the child ---------------------------------------------------------------------------------------------------


def _address_space() -> int:
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _confine(limits: ParseLimits) -> int:
    """Limit this child before it reads a byte of the file.

    The memory limit counts from what the child already maps (Polars' library alone is ~400 MB of address space,
    its thread pool more), so ``memory_mb`` is what the parse itself may add, whatever the libraries weigh. The
    address-space ceiling is returned (the asker watches the child against it).
    """
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # an aborted child leaves no multi-GB core file behind
    try:
        import ctypes

        ctypes.CDLL(None).mallopt(_M_ARENA_MAX, 1)
    except (OSError, AttributeError):  # not glibc: nothing reserved per thread to avoid
        pass
    import polars

    polars.thread_pool_size()  # start the pool now, so its stacks are part of the baseline
    ceiling = _address_space() + limits.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    cpu = math.ceil(limits.seconds) * CPU_BACKSTOP_FACTOR + 10
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    use_limits(limits.read)
    return ceiling


def _child_main(
    out: Connection,
    limits: ParseLimits,
    func: Callable[..., Any],
    path: Path,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    """Run ``func(path, *args, **kwargs)`` confined and send back ``(kind, payload)``; never raises."""
    message: tuple[str, Any]
    try:
        out.send(("ceiling", _confine(limits)))
        message = ("ok", func(path, *args, **kwargs))
    except InputError as exc:
        message = ("input", list(exc.problems))
    except MemoryError:
        message = ("memory", None)
    except Exception:
        message = ("crash", traceback.format_exc())
    try:
        out.send(message)
    except MemoryError:  # the result itself did not fit in the limit once pickled
        del message
        try:
            out.send(("memory", None))
        except MemoryError:
            os._exit(_EXIT_OUT_OF_MEMORY)
    finally:
        out.close()


# --- the asking side ---------------------------------------------------------------------------------------------

_start_lock = threading.Lock()
_server_owner: list[int] = []
"""The pid that started this process's fork server (a forked child must not use its parent's)."""


def _context() -> ForkServerContext | SpawnContext:
    if _server_owner and _server_owner[0] != os.getpid():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if not _server_owner:
        context.set_forkserver_preload(PRELOAD)
        _server_owner.append(os.getpid())
    return context


@contextmanager
def _children_allowed() -> Iterator[None]:
    """Let a daemonic process (a huey job worker) start a parse child.

    multiprocessing refuses children of a daemonic process because they could outlive it when it is terminated.
    A parse child never outlives the call that started it (it is joined or killed before :func:`run_isolated`
    returns), and if the asker dies, the child's CPU limit and its broken pipe end it. The flag is this
    process's own and is put back at once.
    """
    me = multiprocessing.current_process()
    if not me.daemon:
        yield
        return
    me.daemon = False
    try:
        yield
    finally:
        me.daemon = True


class _Stall:
    """Whether a child sits at its memory ceiling without using any CPU: an allocation failed inside native code
    that then waits forever (Polars/pyo3 after a failed allocation) instead of aborting. Read from ``/proc``."""

    def __init__(self, pid: int | None, ceiling: int, limit: int) -> None:
        self.pid, self.ceiling, self.margin = pid, ceiling, max(limit // 10, 16 * 1024 * 1024)
        self.cpu: int | None = None
        self.since = time.monotonic()

    def stuck(self) -> bool:
        try:
            with open(f"/proc/{self.pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return False
        cpu, size = int(fields[11]) + int(fields[12]), int(fields[20])  # utime + stime, vsize
        now = time.monotonic()
        if cpu != self.cpu:
            self.cpu, self.since = cpu, now
            return False
        return size >= self.ceiling - self.margin and now - self.since >= STALL_SECONDS


def _outcome(receive: Connection, child: multiprocessing.process.BaseProcess, limits: ParseLimits) -> tuple[str, Any]:
    """The child's message, ("timeout", None) when the wall clock ran out, ("memory", None) when it is stuck at its
    memory ceiling, or ("died", exit code)."""
    deadline = time.monotonic() + limits.seconds
    stall: _Stall | None = None
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return ("timeout", None)
        ready = wait([receive, child.sentinel], timeout=min(remaining, POLL_SECONDS))
        if receive in ready:
            try:
                message: tuple[str, Any] = receive.recv()
            except EOFError:
                break
            if message[0] == "ceiling":
                stall = _Stall(child.pid, message[1], limits.memory_mb * 1024 * 1024)
                continue
            return message
        if ready:  # the child ended; a message it sent would have made ``receive`` ready too
            break
        if stall is not None and stall.stuck():
            return ("memory", None)
    child.join()
    return ("died", child.exitcode)


def run_isolated(func: Callable[..., T], path: str | Path, *args: Any, limits: ParseLimits, **kwargs: Any) -> T:
    """``func(path, *args, **kwargs)`` run in a confined child process; its result, or its ``InputError``.

    ``func`` must be a module-level function (it is sent by name) whose arguments and result pickle. When the
    child exceeds ``limits`` an ``InputError`` names ``path``'s file and the limit; an unexpected error in the
    child raises :class:`ParseCrashed` with its traceback.
    """
    path = Path(path)
    with _start_lock:
        context = _context()
        receive, send = context.Pipe(duplex=False)
        child = context.Process(
            target=_child_main, args=(send, limits, func, path, args, kwargs), name=f"zonehero-parse {path.name}"
        )
        with _children_allowed():
            child.start()
    send.close()
    try:
        kind, payload = _outcome(receive, child, limits)
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
        child.close()
    if kind == "ok":
        return payload  # type: ignore[no-any-return]
    if kind == "input":
        raise InputError(payload)
    if kind == "memory":
        raise _over_memory(path, limits)
    if kind == "timeout":
        raise _over_time(path, limits)
    if kind == "died":
        if payload is not None and -payload in _TIME_SIGNALS:
            raise _over_time(path, limits)
        if payload is not None and (-payload in _MEMORY_SIGNALS or payload == _EXIT_OUT_OF_MEMORY):
            raise _over_memory(path, limits)
        raise ParseCrashed(f"parse child for {path.name} ended with exit code {payload}")
    raise ParseCrashed(f"parse child for {path.name} failed:\n{payload}")


def isolated_reader(limits: ParseLimits) -> SourceReader:
    """A :data:`SourceReader` for :func:`zonehero.core.ingest.read_sources` that reads each file in a child."""

    def read(
        path: str | Path,
        *,
        sheet: str | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        department: str | None = None,
    ) -> tuple[SourceRead | None, list[InputProblem]]:
        try:
            return run_isolated(read_one, path, limits=limits, sheet=sheet, max_bytes=max_bytes, department=department)
        except InputError as exc:
            return None, list(exc.problems)

    return read
