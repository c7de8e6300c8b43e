"""Benchmark: build a large, realistic charity and measure the pages people wait for.

    python3 bench/run.py [--volunteers 3000] [--weeks 26] [--requests 200]

Reports per page: median and 95th-percentile latency, requests per second (one thread,
in-process, so it measures our code and the database, not the network), and the peak memory
of the process. Results are printed and written to bench/results/latest.json.
"""
import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, time as dtime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cervis import create_app, passwords  # noqa: E402
from cervis.db import database, init_db, utcnow  # noqa: E402
from cervis.models import (PENDING, REGISTERED, Group, Membership, Opportunity, Profile,  # noqa: E402
                           Registration, Role, Slot, User)
from cervis.timeutil import to_utc  # noqa: E402

PASSWORD = "bench password for everyone"
ROLES = [("Cook", 1), ("Reserve", 2), ("Shift Asst", 3), ("SL", 1)]


def build(volunteers, weeks, groups=8):
    rng = random.Random(1)
    from zoneinfo import ZoneInfo
    zone = ZoneInfo("Europe/London")
    pw = passwords.hash_password(PASSWORD)
    with database.atomic():
        gs = []
        for g in range(groups):
            group = Group.create(name=f"Venue {g}")
            for i, (name, cap) in enumerate(ROLES):
                Role.create(group=group, name=name, default_capacity=cap, position=i,
                            is_reserve=name == "Reserve", is_shift_leader=name == "SL")
            gs.append(group)
        users = [dict(email=f"v{i}@example.org", first_name=f"Vol{i}", last_name="Bench",
                      password_hash=pw, verified_generation=1) for i in range(volunteers)]
        for chunk in range(0, len(users), 500):
            User.insert_many(users[chunk:chunk + 500]).execute()
        ids = [u.id for u in User.select(User.id)]
        Membership.insert_many([dict(user=i, group=gs[n % groups]) for n, i in enumerate(ids)]).execute()
        Profile.insert_many([dict(user=i, mobile="07700 900000") for i in ids]).execute()
        leader = User.create(email="leader@example.org", first_name="Lead", last_name="Bench",
                             password_hash=pw, verified_generation=1)
        for group in gs:
            Membership.create(user=leader, group=group, is_leader=True)
        start = date.today() - timedelta(weeks=weeks // 2)
        regs = []
        for group in gs:
            opp = Opportunity.create(group=group, name=f"Night Shelter {group.name}",
                                     live_from=utcnow() - timedelta(days=400))
            members = [m.user_id for m in group.memberships]
            for w in range(weeks):
                night = start + timedelta(weeks=w, days=group.id % 7)
                for role in group.roles:
                    slot = Slot.create(opportunity=opp, role=role, capacity=role.default_capacity,
                                       starts_at=to_utc(datetime.combine(night, dtime(18)), zone),
                                       ends_at=to_utc(datetime.combine(night, dtime(21)), zone))
                    for n, v in enumerate(rng.sample(members, k=min(len(members), role.default_capacity + 6))):
                        regs.append(dict(volunteer=v, slot=slot.id,
                                         status=REGISTERED if n < role.default_capacity else PENDING))
        for chunk in range(0, len(regs), 1000):
            Registration.insert_many(regs[chunk:chunk + 1000]).execute()
    return len(regs)


def measure(client, url, n):
    times = []
    for _ in range(n):
        t = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - t)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return {"url": url, "median_ms": round(statistics.median(times) * 1000, 2),
            "p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
            "per_second": round(n / sum(times), 1)}


def login(client, email):
    r = client.post("/login", data={"email": email, "password": PASSWORD})
    assert r.status_code == 303, r.status_code


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--volunteers", type=int, default=3000)
    ap.add_argument("--weeks", type=int, default=26)
    ap.add_argument("--requests", type=int, default=200)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="cervis-bench-"))
    app = create_app({"TESTING": False, "SECRET_KEY": "bench", "INSTANCE_PATH": str(tmp),
                      "DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}", "SESSION_COOKIE_SECURE": False,
                      "WTF_CSRF_ENABLED": False})
    with app.app_context():
        init_db()
        with database.connection_context():
            t = time.perf_counter()
            n_regs = build(args.volunteers, args.weeks)
            built = time.perf_counter() - t
            volunteer = User.by_email("v1@example.org")
            opp = Opportunity.select().where(Opportunity.group.in_(
                Membership.select(Membership.group).where(Membership.user == volunteer))).first()
            month = date.today().strftime("%Y-%m")
    pages = [("volunteer", "Volunteer Portal Home", "/portal/"),
             ("volunteer", "Sign up: opportunities", "/portal/signup"),
             ("volunteer", "Sign up: slot table (26 weeks x 4 roles)", f"/portal/signup/slots?opportunity={opp.id}"),
             ("volunteer", "View or Cancel Registration", "/portal/registrations"),
             ("volunteer", "Activity history", "/portal/history"),
             ("leader", "Leader home", "/leader/"),
             ("leader", "Rota board (one month)", f"/leader/opportunities/{opp.id}/rota?month={month}"),
             ("leader", "Group members (first page)", f"/leader/groups/{opp.group_id}/members")]
    results = {"volunteers": args.volunteers, "weeks": args.weeks, "registrations": n_regs,
               "build_seconds": round(built, 1), "pages": {}}
    clients = {"volunteer": app.test_client(), "leader": app.test_client()}
    login(clients["volunteer"], "v1@example.org")
    login(clients["leader"], "leader@example.org")
    for who, name, url in pages:
        status = clients[who].get(url).status_code
        if status != 200:
            results["pages"][name] = {"url": url, "error": status}
            continue
        results["pages"][name] = measure(clients[who], url, args.requests)
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
