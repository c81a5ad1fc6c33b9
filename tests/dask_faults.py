"""A batch function for tests/test_dask.py whose first call kills its Dask worker.

It lives in an importable module (not the test file) so that Dask's worker processes can
unpickle it by reference. The marker file named by ``AIDSTATS_DIE_ONCE`` records that a
worker has already died: the first call creates it and exits the process at once, as a
worker killed by the OOM killer or a lost machine would; every later call does the work.
"""

from __future__ import annotations

import os
from pathlib import Path

from aidstats.auto.figures import Knowledge
from aidstats.perarticle import ArticleResult, ArticleTask, run_batch


def dies_once(tasks: list[ArticleTask], know: Knowledge | None) -> list[ArticleResult]:
    marker = Path(os.environ["AIDSTATS_DIE_ONCE"])
    try:
        marker.touch(exist_ok=False)
    except FileExistsError:
        return run_batch(tasks, know)
    os._exit(1)  # no cleanup, no exception: the worker process is simply gone
