"""bench/peer/timing.py: several measuring processes' figures become one table row."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "peer_timing", Path(__file__).resolve().parents[2] / "bench" / "peer" / "timing.py"
)
timing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(timing)


def page(cpu, queries, p50=10.0):
    return {"p50_ms": p50, "p95_ms": p50 * 2, "cpu_ms": cpu, "queries": queries}


def test_each_figure_is_the_median_of_the_processes_and_the_queries_the_most():
    measures = [
        {"tickets": 10_000, "ticket": page(20.0, 17), "kb_search": None},
        {"tickets": 10_000, "ticket": page(31.0, 17, p50=14.0), "kb_search": None},
        {"tickets": 10_000, "ticket": page(22.0, 18), "kb_search": None},
    ]
    combined = timing.combine(measures)
    assert combined["ticket"] == {"p50_ms": 10.0, "p95_ms": 20.0, "cpu_ms": 22.0, "queries": 18}
    assert combined["tickets"] == 10_000
    assert combined["kb_search"] is None  # a page one side does not have stays absent


def test_one_process_is_its_own_figures():
    one = {"tickets": 5, "inbox": page(50.0, 15)}
    assert timing.combine([one]) == one


def test_a_page_measured_by_the_first_process_only_keeps_its_figures():
    """run.py measures the statistics pages once (--no-stats on the repeats)."""
    measures = [
        {"stats": page(400.0, 24), "ticket": page(30.0, 39)},
        {"stats": None, "ticket": page(40.0, 39)},
        {"stats": None, "ticket": page(50.0, 39)},
    ]
    combined = timing.combine(measures)
    assert combined["stats"] == page(400.0, 24)
    assert combined["ticket"]["cpu_ms"] == 40.0
