"""What the Snakefile does as a run ends (``onsuccess`` and ``onerror``), when the scheduler has
stopped: let the process exit at once instead of a second later.
"""

from __future__ import annotations

import gc

from biomedimg import patches


def finish() -> None:
    # Snakemake's scheduler leaves one-second timers the interpreter would wait for
    # (biomedimg.patches.cancel_scheduler_timers says why).
    patches.cancel_scheduler_timers()
    # The interpreter's last garbage collections walk every object Snakemake built (its DAG, its
    # plugins' modules): a sixth of a second on every run. Nothing it frees matters to a process that
    # is ending, so the collector leaves the objects there now alone.
    gc.freeze()
