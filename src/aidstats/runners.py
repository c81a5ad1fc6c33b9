"""Where the per-article stages run: in this process, in local worker processes, or on Dask.

The same function, :func:`aidstats.perarticle.run_batch`, runs everywhere; the articles
are sent in batches (a few dozen per round trip) and the results come back as they are
done, in any order (the caller puts them back in catalog order). The dictionaries the
labeller reads (:class:`~aidstats.auto.figures.Knowledge`) go to each worker once: as
the process pool's initializer argument, or scattered to every Dask worker.

Modes, chosen by :class:`RunOptions`:

- **serial**: ``jobs=1``, or fewer tasks than ``min_parallel`` (starting workers costs
  about a second; an incremental build of a few articles is faster without them);
- **processes** (the default): a ``concurrent.futures.ProcessPoolExecutor`` of ``jobs``
  workers (every core when None), started by ``forkserver`` where the platform has it;
- **dask**: ``dask=True`` starts a ``LocalCluster`` of ``jobs`` worker processes;
  ``scheduler="tcp://host:port"`` uses a running cluster (each worker needs the same
  aidstats version installed; see docs/scale.md).
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from aidstats.auto.figures import Knowledge
from aidstats.errors import AidstatsError
from aidstats.perarticle import ArticleResult, ArticleTask, run_batch

MAX_BATCH = 25
# a batch whose task raised is run again this many times on Dask; a batch whose worker died
# is rescheduled by Dask itself (distributed.scheduler.allowed-failures, 3 by default)
DASK_RETRIES = 2


@dataclass(frozen=True)
class RunOptions:
    """How a build runs its per-article work."""

    jobs: int | None = None
    dask: bool = False
    scheduler: str | None = None
    cache: bool = True
    min_parallel: int = 16
    progress: bool | None = None

    @property
    def workers(self) -> int:
        """Worker count: ``jobs``, or every core of this machine."""
        return max(1, self.jobs or os.cpu_count() or 1)

    def mode(self, tasks: int) -> str:
        """``serial``, ``processes`` or ``dask`` for a run of ``tasks`` articles."""
        if self.dask or self.scheduler:
            return "dask" if tasks else "serial"
        if self.workers == 1 or tasks < max(self.min_parallel, 2):
            return "serial"
        return "processes"


def batches(tasks: list[ArticleTask], workers: int) -> list[list[ArticleTask]]:
    """Tasks in batches: about four per worker, at most :data:`MAX_BATCH` articles each."""
    size = max(1, min(MAX_BATCH, math.ceil(len(tasks) / (4 * workers))))
    return [tasks[i : i + size] for i in range(0, len(tasks), size)]


_KNOW: Knowledge | None = None


def _init_worker(know: Knowledge | None) -> None:
    global _KNOW
    _KNOW = know


def _run_in_worker(tasks: list[ArticleTask]) -> list[ArticleResult]:
    return run_batch(tasks, _KNOW)


def _context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["aidstats.perarticle"])
        return ctx
    return multiprocessing.get_context("spawn")


def _processes(
    groups: list[list[ArticleTask]], know: Knowledge | None, workers: int
) -> Iterator[list[ArticleResult]]:
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(groups)),
        mp_context=_context(),
        initializer=_init_worker,
        initargs=(know,),
    )
    try:
        pending: set[Future[list[ArticleResult]]] = {
            pool.submit(_run_in_worker, group) for group in groups
        }
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                yield future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dask(
    groups: list[list[ArticleTask]], know: Knowledge | None, options: RunOptions
) -> Iterator[list[ArticleResult]]:
    """Results of :func:`run_batch` over ``groups`` on Dask; a batch that fails or whose worker
    dies is run again (see :data:`DASK_RETRIES`)."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise AidstatsError(
            "--dask and --scheduler need Dask: pip install 'aidstats[cluster]'"
        ) from None
    with contextlib.ExitStack() as stack:
        if options.scheduler:
            try:
                client = stack.enter_context(Client(options.scheduler, timeout="20s"))
            except OSError as exc:
                raise AidstatsError(
                    f"--scheduler {options.scheduler}: cannot connect ({exc}); is the "
                    "scheduler running and reachable?"
                ) from None
        else:
            cluster = LocalCluster(
                n_workers=options.workers, threads_per_worker=1, dashboard_address=None
            )
            stack.enter_context(cluster)
            client = stack.enter_context(Client(cluster))
        shared = client.scatter(know, broadcast=True) if know is not None else None
        # the batches go in the tasks themselves, not scattered: data scattered to a worker
        # dies with it, while a task's own arguments are kept by the scheduler and run again
        futures = client.map(run_batch, groups, know=shared, pure=False, retries=DASK_RETRIES)
        for future in as_completed(futures):
            yield future.result()


def run_tasks(
    tasks: list[ArticleTask], know: Knowledge | None, options: RunOptions
) -> Iterator[list[ArticleResult]]:
    """Batches of results for ``tasks``, as they complete (see the module for the modes)."""
    mode = options.mode(len(tasks))
    if mode == "serial":
        for group in batches(tasks, 1):
            yield run_batch(group, know)
    elif mode == "processes":
        yield from _processes(batches(tasks, options.workers), know, options.workers)
    else:
        yield from _dask(batches(tasks, options.workers), know, options)
