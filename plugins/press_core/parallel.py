"""Work spread over the machine's cores by forking: ``fork_map(job, count, processes)``.

The build renders tens of thousands of independent pages and compresses as many files.
Python runs one thread of Python at a time, so the press forks worker processes: each
inherits the whole build in memory (the content graph, the page registry, the Jinja
environments) without pickling any of it, does its share of the jobs by *index* and
sends back only the small results.  Results come back in job order, so whatever the
caller does with them is the same as in a serial run: a parallel build is byte-identical
to a serial one (tests/test_performance.py checks it).

``RENDER_PROCESSES`` (setting) is how many processes to use: ``0`` (default) one per
core, ``1`` no workers at all (everything in the build's own process).  Fork is POSIX
only; where it is missing (Windows) the jobs run serially.

Written with the standard library's ``ProcessPoolExecutor`` (``fork`` context); what it
adds is the job-by-index convention and the serial fallback.  (Not ``multiprocessing.Pool``:
when a worker dies — the kernel's out-of-memory killer on a small CI runner — the pool forks
a new one and waits forever for the lost job; the executor notices and the build stops with
:class:`WorkerLostError`.)
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

SETTING = "RENDER_PROCESSES"
MIN_JOBS_PER_PROCESS = 32  # fewer jobs than this per process: forking costs more than it saves
BATCHES_PER_WORKER = 32  # then the workers make way for fresh forks (see fork_imap) …
MAX_POOLS = 16  # … unless a run would need more pools than this: then they run more batches

_JOB: Callable[[int], object] | None = None  # the job of the running fork_map, inherited by the workers
_MALLOC_TRIM = getattr(ctypes.CDLL(None), "malloc_trim", None)  # glibc's; None elsewhere (macOS, musl)


class WorkerLostError(RuntimeError):
    """A worker process died before it sent its results back (killed, or crashed)."""

    def __init__(self):
        super().__init__(
            "a worker process of the build died before it finished (killed by the system, "
            "perhaps for lack of memory) — free some memory or set RENDER_PROCESSES = 1, then build again"
        )


def processes_of(settings) -> int:
    """How many processes ``settings`` asks for (``RENDER_PROCESSES``; 0: one per core)."""
    wanted = int((settings or {}).get(SETTING, 0) or 0)
    if wanted <= 0:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, wanted)


def _release_free_memory() -> None:
    """Give the pages the heap has free back to the system (glibc's ``malloc_trim``).  Python
    frees objects into its heap, not to the system: after the content is read, a 10k build held
    190 MB of freed pages, which every forked worker then counted as its own too.  Takes some
    15 ms; does nothing where the C library has no such call."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


def _run(indices: Sequence[int]) -> list:
    try:
        return [_JOB(index) for index in indices]
    except Exception as exc:  # an exception that does not pickle would hang the pool: send its text
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            raise RuntimeError("".join(traceback.format_exception(exc))) from None
        raise


def fork_imap(
    job: Callable[[int], object], count: int, processes: int, jobs_per_process: int = MIN_JOBS_PER_PROCESS
) -> Iterator:
    """``job(0), job(1), …, job(count - 1)``, computed by up to ``processes`` forked workers and
    yielded in that order as they arrive (so the caller can store them while workers go on).

    ``job`` may be a closure over anything (workers inherit it); its *results* must pickle.
    A worker's exception is raised here, as in a serial run.  Fewer than ``jobs_per_process``
    jobs per worker run here instead.  Pass 1 for a few long jobs (such as one per language):
    each is then handed out alone, in order, to whichever worker is free.
    """
    global _JOB
    processes = min(processes, count // max(1, jobs_per_process))
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (job(index) for index in range(count))
        return
    # Small runs of neighbouring jobs, handed to whichever worker is free: one slow stretch
    # (say, long listings) is shared, and results flow back in order.
    size = 1 if jobs_per_process <= 1 else max(1, min(64, count // (processes * 8)))
    batches = [range(start, min(start + size, count)) for start in range(0, count, size)]
    # A worker's memory is its parent's until it touches it: reading an object (its reference
    # count) copies the page.  So the jobs go to a series of pools, each a fresh fork of the
    # unchanged parent that runs BATCHES_PER_WORKER batches a worker, the parent's free heap pages
    # go back to the system first, and the garbage collector leaves the inherited objects alone
    # (gc.freeze): a build's memory stays near one copy.  But forking costs in proportion to
    # the parent's memory, which grows with the site as the number of jobs does: with a pool
    # per 64 batches, forking would grow with the square of the site.  So a run takes at most
    # MAX_POOLS pools, whose workers run more batches each on larger sites (at 10k articles
    # none of the build's runs needs more than 16; at 30k, 39 pools of a 2 GB parent rendered
    # the pages: with 16, two alternated pairs of 30k builds took the kernel 22–27 CPU seconds
    # less and 3 and 11 s less in all).
    # (Not one long-lived pool with a task limit per worker: that forks from the pool's own
    # threads, and a fork taken while another thread holds a lock can hang.  The executor forks
    # all its workers from this thread before it starts its own.)
    per_pool = max(processes * BATCHES_PER_WORKER, -(-len(batches) // MAX_POOLS))
    previous, _JOB = _JOB, job
    _release_free_memory()
    gc.freeze()
    try:
        for first in range(0, len(batches), per_pool):
            pool = ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"))
            try:
                for values in pool.map(_run, batches[first : first + per_pool]):  # workers fork here
                    yield from values
            except BrokenProcessPool:
                raise WorkerLostError() from None
            finally:  # on an error, jobs not started are dropped, not run
                pool.shutdown(wait=True, cancel_futures=True)
    finally:
        _JOB = previous
        gc.unfreeze()


def fork_map(
    job: Callable[[int], object], count: int, processes: int, jobs_per_process: int = MIN_JOBS_PER_PROCESS
) -> list:
    """``[job(0), job(1), …, job(count - 1)]``: :func:`fork_imap` as a list."""
    return list(fork_imap(job, count, processes, jobs_per_process))
