"""The leader's month at the benchmark's scale (bench/build.py): the rota board's first load, a
slot opened in place, Leader Home, and Suggest Rota against the maximum-flow bound and
against accepting offers first-come.

    python3 -m bench.rota [--scale 1] [--data DIR] [--requests 20] [--code DIR]

CPU is this process's own CPU time per request through Flask's test client (the server's work
plus the test client's small share), next to a bare route measured the same way in the same
run, so a busy machine disturbs it little. --code measures another checkout of CERVIS (the
"before" of a change) on the same data; pages it does not have are skipped.
"""

import argparse
import gzip
import json
import sys
import time
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.count = 0

    def handle_starttag(self, tag, attrs):
        self.count += 1


def elements(html):
    parser = _Elements()
    parser.feed(html)
    return parser.count


def cpu_ms(client, url, n, headers=None):
    first = client.get(url, headers=headers)
    if first.status_code != 200:
        return None, first
    started = time.process_time()
    for _ in range(n):
        client.get(url, headers=headers)
    return round((time.process_time() - started) / n * 1000, 2), first


def page_figures(client, url, n, headers=None):
    cpu, response = cpu_ms(client, url, n, headers)
    if cpu is None:
        return {"url": url, "status": response.status_code}
    body = response.get_data()
    text = body.decode()
    return {
        "url": url,
        "cpu_ms": cpu,
        "bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, 6)),
        "elements": elements(text),
        "forms": text.count("<form"),
        "csrf_tokens": text.count('name="csrf_token"'),
    }


def suggestion_figures(opportunity, day):
    import networkx as nx

    from cervis import rota_suggestion as rs

    now = datetime.now(timezone.utc).replace(tzinfo=None)
    started = time.perf_counter()
    try:  # the month's reading moved out of rota_suggestion with the volunteers' limits
        from cervis.suggest_rota import read_problem
    except ImportError:
        read_problem = rs.read_problem
    problem, *_ = read_problem(opportunity, day, now)
    read = time.perf_counter() - started
    started = time.perf_counter()
    chosen = rs.solve(problem)
    solve = time.perf_counter() - started
    graph, places = nx.DiGraph(), {p.id: p for p in problem.places}
    graph.add_nodes_from(["s", "t"])
    nights = rs._nights([places[o.place] for o in rs.usable_offers(problem)])
    for o in rs.usable_offers(problem):
        graph.add_edge("s", (o.volunteer, nights[o.place]), capacity=1)
        graph.add_edge((o.volunteer, nights[o.place]), o.place, capacity=1)
        graph.add_edge(o.place, "t", capacity=places[o.place].room)
    bound = nx.maximum_flow_value(graph, "s", "t")
    first = rs.first_come(problem)
    return {
        "offers": len(problem.offers),
        "qualified_offers": sum(getattr(o, "qualified", True) for o in problem.offers),  # before: all
        "open_places": sum(p.room for p in problem.places),
        "read_seconds": round(read, 3),
        "solve_seconds": round(solve, 3),
        "suggest_filled": len(chosen),
        "max_flow_bound": bound,
        "first_come_filled": len(first),
        "suggest_spread": rs.spread(problem, chosen),
        "first_come_spread": rs.spread(problem, first),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--data", help="a bench/data folder already built (default: this checkout's)")
    ap.add_argument("--requests", type=int, default=20)
    ap.add_argument("--code", help="measure the CERVIS checkout in this folder instead of this one")
    args = ap.parse_args()
    here = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(here))
    from bench.build import DATA, PASSWORD, bench_config, ensure, fresh_instance

    bench = ensure(args.scale, root=Path(args.data) if args.data else DATA)
    instance = fresh_instance(bench, "rota-before" if args.code else "rota-after")
    if args.code:
        for name in [m for m in sys.modules if m == "cervis" or m.startswith("cervis.")]:
            del sys.modules[name]
        sys.path.insert(0, str(Path(args.code).resolve()))
    from cervis import create_app
    from cervis.models import Opportunity
    from cervis.months import parse_month

    app = create_app(bench_config(instance, TESTING=False, WTF_CSRF_ENABLED=False))
    with app.app_context():  # as the README deploys it: init-db before every start
        from cervis.migrations import init_db

        init_db()
    app.add_url_rule("/bench-bare", "bench_bare", lambda: "ok")
    largest = bench.facts["largest"]
    client = app.test_client()
    login = client.post("/login", data={"email": bench.facts["people"]["leader"], "password": PASSWORD})
    assert login.status_code == 303, login.status_code
    board = f"/leader/opportunities/{largest['opportunity']}/rota?month={largest['month']}"
    results = {
        "scale": args.scale,
        "code": args.code or str(here),
        "largest": largest,
        "bare": page_figures(client, "/bench-bare", args.requests),
        "board": page_figures(client, board, args.requests),
        "leader_home": page_figures(client, "/leader/", args.requests),
    }
    with app.app_context():
        from cervis.db import database
        from cervis.leader import rota_board

        with database.connection_context():
            opportunity = Opportunity.get_by_id(largest["opportunity"])
            day = parse_month(largest["month"])
            slots = rota_board.month_slots(opportunity, day)
            busiest = max(slots, key=lambda s: s.registrations.count())
            if hasattr(rota_board, "month_cells"):
                results["suggestion"] = suggestion_figures(opportunity, day)
    if "leader.rota_panel" in app.view_functions:
        results["slot_panel"] = page_figures(
            client, f"/leader/slots/{busiest.id}/panel", args.requests, headers={"HX-Request": "true"}
        )
        results["suggest_page"] = page_figures(
            client, f"/leader/opportunities/{largest['opportunity']}/rota/suggest?month={largest['month']}", 3
        )
    print(json.dumps(results, indent=2))
    out = here / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"rota-{'before' if args.code else 'after'}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
