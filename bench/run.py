"""The benchmark of issue 9: a large charity, served as the README deploys it, driven like people do.

    python3 bench/run.py                  # 1/100, 1/10 and full scale; full also pinned to one core
    python3 bench/run.py --scales 0.01    # a quick look
    python3 bench/run.py --label before   # keeps bench/results/before.md beside latest.md

Builds (once, kept in bench/data/) the charity of bench/build.py at each scale, serves it with
waitress (one process, 4 threads, the scheduler running) on 127.0.0.1, and from this process
logs in as real users and requests each page of bench/pages.py, interleaved with a bare route
(the floor). Reports per page: the server's CPU per request (its own counters, per thread: the
scheduler's thread, named cervis-jobs, is counted apart), p50/p99 at 1
and 8 clients, requests per second, each also as a ratio to the floor; bytes raw and as sent;
SQL statements per request at 1/100 and full scale; the server's peak RSS, its start-up time;
errors and "database is locked" in its log, overbooked slots. Writes bench/results/latest.json,
latest.md and cpu-by-scale.png.
"""

import argparse
import dataclasses
import json
import re
import sqlite3
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import report
from bench.build import ensure, fresh_instance, scale_name
from bench.client import Client
from bench.measure import FloorTask, Task, eight_clients, one_client
from bench.pages import (
    accept_targets,
    api_path,
    complete_targets,
    overbooked,
    pages,
    register_batches,
    registerers,
)
from bench.serve import Server

RESULTS = ROOT / "bench" / "results"
ACTIONS = ("register", "accept", "complete")
ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"')


class Run:
    """One server on one copy of the data, and the logged-in clients the pages need."""

    def __init__(self, bench, server, n1, each8, concurrent):
        self.bench, self.server, self.facts = bench, server, bench.facts
        self.n1, self.each8, self.concurrent = n1, each8, concurrent
        self.db = server.instance / "cervis.db"
        self.password = self.facts["password"]
        self.sessions = {}

    def clients(self, email, count):
        pool = self.sessions.setdefault(email, [])
        while len(pool) < count:
            client = Client(self.server.port)
            for attempt in range(3):  # a log-in refused by a locked database (the server log counts it)
                try:
                    client.login(email, self.password)
                    break
                except RuntimeError:
                    if attempt == 2:
                        raise
                    time.sleep(3)
            pool.append(client)
        return pool[:count]

    def page_tasks(self, page, count):
        """(clients, tasks) for `count` clients of this page; the first is the one-client run's."""
        people = self.facts["people"]
        need = self.n1 + self.each8
        if page.action == "register":
            emails = registerers(self.db, self.facts, count)
            return (
                [self.clients(e, 1)[0] for e in emails],
                [Task(page, register_batches(self.db, self.facts, e)[:need]) for e in emails],
            )
        if page.action == "accept":
            targets = accept_targets(self.db, self.facts, need * count)
            return self.clients(people["leader"], count), [Task(page, targets[i::count]) for i in range(count)]
        if page.action == "complete":
            by_leader = complete_targets(self.db, self.facts)
            leaders = [people["leader"]] + [e for e in people["leader_all"] if e != people["leader"]]
            leaders = leaders[:count] if count > 1 else leaders[:1]
            targets = [by_leader.get(e, []) for e in leaders]
            if count == 1 and targets[0]:
                # The smallest month first, as a warm-up (templates compiled), then the largest.
                targets[0] = targets[0][-1:] + targets[0][:-1]
            return [self.clients(e, 1)[0] for e in leaders], [Task(page, t) for t in targets]
        if page.action == "login":
            # Eight people logging in at once, not one account eight times: five attempts at once
            # on one account are all its rate limit lets through (cervis.auth, Throttle.reserve).
            emails = [people[page.who]] if count == 1 else registerers(self.db, self.facts, count)
            return (
                [Client(self.server.port) for _ in emails],
                [Task(page, email=e, password=self.password) for e in emails],
            )
        if page.who == "api":
            page = dataclasses.replace(page, path=api_path(self.db, self.facts, page.path))
            return [self.api_client() for _ in range(count)], [Task(page) for _ in range(count)]
        return self.clients(people[page.who], count), [Task(page) for _ in range(count)]

    def api_client(self):
        """A client with a bearer token an administrator made on API Tokens, and no session."""
        if not hasattr(self, "api_token"):
            admin = self.clients(self.facts["people"]["admin"], 1)[0]
            admin.take_csrf(admin.get("/admin/api-tokens"))
            day = (datetime.now(timezone.utc).date() + timedelta(days=30)).isoformat()
            scopes = [("scopes", s) for s in ("rota:read", "volunteers:read")]
            made = admin.post("/admin/api-tokens", [("name", "bench"), ("expires_on", day), *scopes])
            self.api_token = re.search(r'<code class="api-token">([^<]+)</code>', made.text).group(1)
        client = Client(self.server.port)
        client.headers["Authorization"] = f"Bearer {self.api_token}"
        return client

    def measure(self, page):
        """The page's row, or None when this scale has nothing left for its action to act on."""
        floor_client = self.clients(self.facts["people"]["volunteer_20"], 1)[0]
        clients, tasks = self.page_tasks(page, 1)
        n1 = min(self.n1, len(tasks[0].targets)) if page.action in ACTIONS else self.n1
        if n1 == 0:
            return None
        row = {"page": page.name, "limits": page.limits}
        row["floor_1"] = one_client(self.server, floor_client, FloorTask(), self.n1)
        # Each action's first request loads what only it needs (icalendar for Accept's calendar
        # attachment, the email templates): one unmeasured request first, as the GETs have two.
        warm = 1 if page.action in ACTIONS and n1 > 1 else None
        row["one"] = one_client(self.server, clients[0], tasks[0], n1 - (warm or 0), warmup=warm)
        if self.concurrent:
            row["floor_8"] = eight_clients(
                self.clients(self.facts["people"]["volunteer_20"], 8), [FloorTask() for _ in range(8)], self.each8
            )
            clients, tasks = self.page_tasks(page, 8)
            each = min([self.each8] + [len(t.targets) for t in tasks]) if page.action in ACTIONS else self.each8
            if each:
                row["eight"] = eight_clients(clients, tasks, each)
        row["peak_rss_mb"] = self.server.peak_rss_mb()  # so far: which page raised it
        return row

    def write_lock(self):
        """The longest the server held its write lock (issue 22: every write transaction under
        100 ms): over the pages above (and the jobs that ran meanwhile), then over one leader's
        import of 300 new volunteers, their Announce Now of the largest month, and every job of the
        scheduler run at once with every open month unannounced and its offer deadline tomorrow."""
        client = self.clients(self.facts["people"]["leader"], 1)[0]
        pages = json.loads(client.get("/_bench/write-lock").text)
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as con:
            (group,) = con.execute('SELECT name FROM "group" WHERE id = ?', (self.facts["big_group"],)).fetchone()
        text = "".join(f"bench-import-{i}@example.org,Imported,Volunteer {i},,{group}\n" for i in range(300))
        started = time.perf_counter()
        answer = client.post("/leader/volunteers/import/confirm", [("csv_text", text)])
        result = {
            "pages_ms": pages["longest_ms"],
            "pages_by": pages["by"],
            "import_ms": json.loads(client.get("/_bench/write-lock").text)["longest_ms"],
            "import_s": time.perf_counter() - started,
            "import_status": answer.status,
        }
        largest = self.facts["largest"]
        started = time.perf_counter()
        answer = client.post(f"/leader/opportunities/{largest['opportunity']}/announce", [("month", largest["month"])])
        result.update(
            announce_now_ms=json.loads(client.get("/_bench/write-lock").text)["longest_ms"],
            announce_now_s=time.perf_counter() - started,
            announce_now_status=answer.status,
        )
        result.update(self.jobs(client))
        return result

    def jobs(self, client):
        """Every job at once, with the most to do: every open month to announce, every deadline near."""
        with sqlite3.connect(self.db, timeout=30) as con:
            con.execute("DELETE FROM announcement")
            tomorrow = (datetime.now(timezone.utc) + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")
            con.execute(
                "UPDATE opportunity SET offer_deadline = ? WHERE id IN "
                "(SELECT opportunity_id FROM slot WHERE starts_at > ?)",
                (tomorrow, tomorrow[:10]),
            )
            (emails_before,) = con.execute("SELECT COUNT(*) FROM email").fetchone()
        started = time.perf_counter()
        answer = client.post("/_bench/jobs")
        seconds = time.perf_counter() - started
        held = json.loads(client.get("/_bench/write-lock").text)
        with sqlite3.connect(f"file:{self.db}?mode=ro", uri=True) as con:
            (emails_after,) = con.execute("SELECT COUNT(*) FROM email").fetchone()
        return {
            "jobs_ms": held["longest_ms"],
            "jobs_by": held["by"],
            "jobs_s": seconds,
            "jobs_status": answer.status,
            "jobs_emails": emails_after - emails_before,
        }

    def first_load(self, path, email):
        """A page and everything it loads (stylesheet, scripts, icon), as sent: a phone's first visit."""
        client = Client(self.server.port)
        client.login(email, self.password)
        page = client.get(path)
        assets = sorted(set(ASSET.findall(page.text)))
        sizes = {a: len(client.get(a).sent) for a in assets}
        fresh = Client(self.server.port)
        favicon = fresh.get("/favicon.ico")
        total = len(page.sent) + sum(sizes.values()) + (len(favicon.sent) if favicon.status == 200 else 0)
        return {"page": len(page.sent), "assets": sizes, "favicon": favicon.status, "total_sent": total}


def serve_and_measure(bench, pin=None, concurrent=True, n1=30, each8=8, log=print, label="latest"):
    instance = fresh_instance(bench, f"{label}-run-pinned" if pin is not None else f"{label}-run")
    with Server(instance, pin_core=pin) as server:
        log(
            f"  server up in {server.startup_seconds:.2f} s (pid {server.pid}, port {server.port}), "
            f"{server.peak_rss_mb():.0f} MB; its first jobs took {server.settle_cpu_seconds:.1f} s CPU"
        )
        run = Run(bench, server, n1, each8, concurrent)
        rows = []
        for page in pages(bench.facts):
            row = run.measure(page)
            if row is None:
                log(f"  {page.name}: nothing left to act on at this scale")
                continue
            log(
                f"  {page.name}: {row['one']['cpu_ms']:.1f} ms CPU, p50 {row['one']['p50_ms']:.1f} ms, "
                f"peak {row['peak_rss_mb']:.0f} MB"
                + (f", p99 at 8: {row['eight']['p99_ms']:.0f} ms" if "eight" in row else "")
            )
            rows.append(row)
        result = {
            "scale": bench.scale,
            "pinned": pin is not None,
            "startup_s": server.startup_seconds,
            "startup_cpu_s": server.startup_cpu_seconds,
            "first_jobs_cpu_s": server.settle_cpu_seconds,
            "first_jobs_s": server.settle_seconds,
            "rows": rows,
            "first_load": run.first_load(rows and pages(bench.facts)[2].path, bench.facts["people"]["volunteer_20"]),
        }
        result["write_lock"] = run.write_lock()
        result["peak_rss_mb"] = server.peak_rss_mb()
        result["jobs_cpu_s"] = (server.cpu_ns() - server.cpu_ns(pages_only=True)) / 1e9
    result["log"] = server.log_problems()
    result["overbooked"] = overbooked(instance / "cervis.db")
    return result


def main():
    ap = argparse.ArgumentParser(description="Issue 9's benchmark (see the module docstring).")
    ap.add_argument("--scales", default="0.01,0.1,1", help="comma-separated; the largest gets the full run")
    ap.add_argument("--no-pin", action="store_true", help="skip the run held to one core")
    ap.add_argument("--n", type=int, default=30, help="requests per page at one client")
    ap.add_argument("--label", default="latest", help="the results' file name (before, latest)")
    args = ap.parse_args()
    scales = sorted(float(s) for s in args.scales.split(","))
    benches = {s: ensure(s) for s in scales}
    from bench.queries import count

    results = {"scales": {}, "queries": {}}
    for s in (scales[0], scales[-1]):
        print(f"SQL statements per request at {scale_name(s)}")
        results["queries"][scale_name(s)] = count(benches[s], name=f"{args.label}-queries")
    for s in scales[:-1]:
        print(f"{scale_name(s)}: one client")
        results["scales"][scale_name(s)] = serve_and_measure(
            benches[s], concurrent=False, n1=max(10, args.n // 2), label=args.label
        )
    top = benches[scales[-1]]
    print(f"{scale_name(top.scale)}: one and eight clients")
    results["main"] = serve_and_measure(top, n1=args.n, label=args.label)
    results["scales"][scale_name(top.scale)] = results["main"]
    if not args.no_pin:
        print(f"{scale_name(top.scale)}: held to one core (taskset -c 0)")
        results["pinned"] = serve_and_measure(top, pin=0, n1=args.n, label=args.label)
    results["facts"] = {k: top.facts[k] for k in ("counts", "largest", "build_seconds")}
    RESULTS.mkdir(exist_ok=True)
    report.write(results, RESULTS, args.label)
    print((RESULTS / f"{args.label}.md").read_text())


if __name__ == "__main__":
    main()
