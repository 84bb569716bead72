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


def test_the_per_item_report_gives_each_step_its_wall_and_cpu_time_and_the_load():
    spread = {"median": 0.5, "min": 0.4, "max": 0.9}
    result = {
        "codedeps: parse every module": {"wall": spread, "cpu": {"median": 0.3, "min": 0.3, "max": 0.31}},
        "exit after onsuccess: neither": {"wall": {"median": 1.02, "min": 1.0, "max": 1.1}},
        "machine": {"cores": 2, "repeats": 7, "load_average_before": 9.5, "load_average_after": 11.0},
    }
    md = bench.items_markdown(result)
    assert md.startswith(bench.ITEMS_HEADING + "\n")
    assert "timed in 7 fresh processes" in md and "load average 9.5 before and 11.0 after" in md
    assert "| codedeps: parse every module | 0.5 | 0.4–0.9 | 0.3 | 0.3–0.31 |" in md
    assert "| exit after onsuccess: neither | 1.02 | 1.0–1.1 |  |  |" in md


def test_a_speed_up_is_kept_only_when_it_saves_time_beyond_the_spread():
    slow = {"median": 0.667, "min": 0.631, "max": 0.709}
    assert bench.verdict(slow, {"median": 0.315, "min": 0.303, "max": 0.34}) == (0.352, True)
    # A saving within the repeats' spread, or too small, is not kept.
    assert bench.verdict(slow, {"median": 0.5, "min": 0.4, "max": 0.7}) == (0.167, False)
    assert bench.verdict(slow, {"median": 0.6, "min": 0.55, "max": 0.61}) == (0.067, False)
    md = bench.items_markdown(
        {
            "exit after onsuccess: neither": {"wall": {"median": 2.3, "min": 0.6, "max": 4.8}},
            "exit after onsuccess: gc.freeze (as built)": {
                "wall": {"median": 0.24, "min": 0.16, "max": 0.49}
            },
            "exit after onsuccess: gc.freeze and cancelling the timers": {
                "wall": {"median": 0.22, "min": 0.12, "max": 0.6}
            },
            "machine": {"cores": 2, "repeats": 7, "load_average_before": 1.0, "load_average_after": 1.0},
        }
    )
    assert "- gc.freeze at exit: saves 2.06 s (wall): kept" in md
    assert "- cancelling the scheduler's timers at exit: saves 0.02 s (wall): removed" in md


def test_the_tests_section_is_replaced_and_kept_by_the_workflow_benchmark():
    from biomedimg.tools import testbench

    result = {
        "seconds": {"make check": 41.0, "make test": 400.2},
        "pytest_seconds": {"make check": 30.5, "make test": 380.0},
        "exit": {"make check": 0, "make test": 1},
        "slowest": {"make check": [["tests/test_a.py::test_x", 2.5]], "make test": []},
        "targets": testbench.TARGETS,
        "met": {"make check": True, "make test": False},
        "machine": {"cores": 2, "load_average_before": 0.5, "load_average_after": 1.5},
    }
    section = testbench.markdown(result)
    rows = {
        line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
        for line in section.splitlines()
        if line.startswith("| `")
    }
    assert rows == {
        "`make check`": ["41.0", "30.5", "≤ 60", "yes", "yes"],
        "`make test`": ["400.2", "380.0", "≤ 360", "no", "no"],
    }
    workflow_part = "# Benchmark\n\nworkflow numbers\n"
    doc = testbench.with_section(workflow_part, section)
    assert doc.startswith(workflow_part) and testbench.section_of(doc) == section
    # Measured again: the section is replaced, not repeated; what is around it stays.
    newer = section.replace("41.0", "39.0")
    again = testbench.with_section(doc + "notes\n", newer)
    assert again.count(testbench.BEGIN) == 1 and "39.0" in again and "41.0" not in again
    assert again.startswith(workflow_part) and again.endswith(newer + "notes\n")
    # `make bench` rewrites what is above the section and keeps the section and the notes below it.
    assert testbench.section_of(again) == newer + "notes\n"


def test_test_times_come_from_the_junit_report_slowest_first(tmp_path):
    from biomedimg.tools import testbench

    report = tmp_path / "junit.xml"
    report.write_text(
        '<testsuites><testsuite><testcase classname="tests.test_a" name="test_x" time="1.5"/>'
        '<testcase classname="tests.test_b" name="test_y" time="9"/></testsuite></testsuites>',
        encoding="utf-8",
    )
    assert testbench.test_times(report) == [("tests.test_b::test_y", 9.0), ("tests.test_a::test_x", 1.5)]
    assert testbench.test_times(tmp_path / "missing.xml") == []
