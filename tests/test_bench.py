"""`make bench`'s report (the measurements themselves are run by `make bench`, never by tests)."""

from __future__ import annotations

from biomedimg.tools import bench


def test_the_report_gives_the_machine_load_and_each_target_met_or_not():
    ratios = {"cold_over_baseline": 1.2, "noop_over_empty_startup": 0.7}
    ratios |= {"incremental_over_cold": 0.367, "diff_over_incremental": 0.6}
    result = {
        "seconds": {"cold": 16.63, "incremental": 6.1},
        "runs": {"cold": [16.1, 16.63, 17.2], "incremental": [6.1]},
        "incremental_over_cold_each_repeat": [0.36, 0.367, 0.37],
        "ratios": ratios,
        "targets": bench.TARGETS,
        "met": {k: ratios[k] <= bench.TARGETS[k] for k in bench.TARGETS},
        "machine": {"cores": 2, "load_average_before": 0.31, "load_average_after": 1.9},
    }
    md = bench.markdown(result)
    assert "2 cores; one-minute load average 0.31 before the measurements and 1.9 after" in md
    assert "| one-file rebuild / cold build | 0.367 | ≤ 0.35 | no |" in md
    assert "| cold build / single-process baseline | 1.2 | ≤ 1.5 | yes |" in md
    assert "| cold | 16.63 | 16.1–17.2 |" in md
    assert "| incremental | 6.1 |  |" in md
    assert "One-file rebuild / cold build in each repeat: 0.36, 0.367, 0.37." in md
    assert "Every measurement but `cold empty user cache` shares the user's cache" in md
