"""The benchmark's write-lock clock: the longest hold of each page and of each of the scheduler's
jobs, so bench/run.py can report which action or job held every other waiting (issue 22: under
100 ms each)."""

import pytest
from conftest import PASSWORD, on_postgresql

from cervis import create_app


@pytest.mark.skipif(on_postgresql(), reason="the clock times SQLite's write lock")
def test_the_benchmark_sees_the_longest_write_lock_hold_of_each_page_and_each_job(app):
    bench = create_app({**app.config, "BENCH_FLOOR": True})
    client = bench.test_client()
    client.get("/_bench/write-lock")  # from here
    client.post("/login", data={"email": "vera@example.org", "password": PASSWORD})
    ran = client.post("/_bench/jobs").get_json()["ran"]
    held = client.get("/_bench/write-lock").get_json()
    assert {"announce", "remind", "send_emails", "prune_throttles"} <= set(ran)
    assert {"auth.login", "prune_throttles"} <= set(held["by"])
    assert held["longest_ms"] == max(held["by"].values())
    assert client.get("/_bench/write-lock").get_json() == {"longest_ms": 0.0, "by": {}}
