"""Timing a page the same way in both projects (imported by ours.py and theirs.py, each in its
own virtualenv: nothing here but Django and the standard library)."""

import statistics
import time


def timed(client, url, params, runs: int) -> dict:
    """p50/p95 wall time, median CPU time and the most SQL queries of `runs` requests, after a
    warm-up request (connection, templates, caches). (Counting the queries switches Django to
    its debug cursor: measured on both ticket pages, it adds under 1 ms, the same on both sides.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    wall, cpu, queries = [], [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            cpu_before, started = time.process_time(), time.perf_counter()
            response = client.get(url, params)
            body = b"".join(response) if response.streaming else response.content
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - cpu_before)
        queries.append(len(captured))
        assert response.status_code == 200, (url, response.status_code, body[:200])
    ordered = sorted(wall)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 1),
        "cpu_ms": round(statistics.median(cpu) * 1000, 1),
        "queries": max(queries),
    }


def combine(measures: list[dict]) -> dict:
    """Several processes' measures of the same pages as one: the median of each figure (a
    process's own speed varies by a fifth on a shared machine), the most queries."""
    out = dict(measures[0])
    for key, first in measures[0].items():
        if not isinstance(first, dict):
            continue
        page = {}
        for field, value in first.items():
            values = [m[key][field] for m in measures if isinstance(m.get(key), dict)]
            if field == "queries":
                page[field] = max(values)
            elif isinstance(value, int | float):
                page[field] = round(statistics.median(values), 1)
            else:
                page[field] = value
        out[key] = page
    return out
