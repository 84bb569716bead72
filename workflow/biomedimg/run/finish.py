"""What the Snakefile does as a run ends (``onsuccess`` and ``onerror``), when the scheduler has
stopped: let the process exit at once instead of a second later.
"""

from __future__ import annotations

import gc
import threading


def finish() -> None:
    release_scheduler_timers()
    # The interpreter's last garbage collections walk every object Snakemake built (its DAG, its
    # plugins' modules): a sixth of a second on every run. Nothing it frees matters to a process that
    # is ending, so the collector leaves the objects there now alone.
    gc.freeze()


def release_scheduler_timers() -> int:
    """Cancel the timers Snakemake's scheduler leaves behind when a run ends; return how many.

    Each scheduling round of Snakemake 9 starts a one-second ``threading.Timer`` (its job rate
    limiter's re-evaluation, ``--max-jobs-per-timespan``, whose sub-second form ``ms`` it parses as
    minutes). The timers are not daemons, so the interpreter waits up to a second for them before it
    exits: a second added to every build that ran a job. Called from ``onsuccess``/``onerror``,
    when the scheduler has stopped, so there is nothing left for them to wake.
    """
    timers = [t for t in threading.enumerate() if isinstance(t, threading.Timer)]
    for timer in timers:
        timer.cancel()
    return len(timers)
