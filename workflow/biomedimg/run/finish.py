"""What the Snakefile does as a run ends (``onsuccess`` and ``onerror``), when the scheduler has
stopped: let the process exit at once.
"""

from __future__ import annotations

import gc


def finish() -> None:
    # The interpreter's last garbage collections walk every object Snakemake built (its DAG, its
    # plugins' modules); nothing they free matters to a process that is ending, so the collector
    # leaves the objects there now alone (`make bench`: docs/benchmark.md, "exit after onsuccess").
    gc.freeze()
