"""Timing a page the same way in both projects (imported by ours.py and theirs.py, each in its
own virtualenv: nothing here but Django and the standard library)."""

import statistics
import time


def timed(client, url, params, runs: int) -> dict:
    """p50/p95 wall time, median CPU time and the most SQL queries of `runs` requests, after a
    warm-up request (connection, templates, caches)."""
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
