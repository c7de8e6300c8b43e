"""Build the benchmark's large charity once, in SQLite, through CERVIS's own models and tables.

Full scale: 20 groups, 5,000 volunteers, two years of nightly slots (one year past, one ahead)
in 4 roles = 58,400 slots in two-month opportunities, 400,000 registrations, 1,000,000 audit
rows, 200,000 emails. `scale` 0.01 and 0.1 build 1/100 and 1/10 of it. Built once into
bench/data/v<VERSION>-scale-<scale>/pristine.db (git-ignored) and kept; every run works on a copy.
Passwords are hashed with the app's settings of the day of the build.

    from bench.build import ensure, fresh_instance
    bench = ensure(1.0)                 # builds if missing (about 2 minutes at full scale)
    bench.facts["largest"]              # {"opportunity": id, "month": "YYYY-MM", "slots", "pending"}
    bench.facts["people"]               # log-ins by part: "leader", "volunteer_20", ...
    instance = fresh_instance(bench)    # a working copy: instance/cervis.db, instance/secret_key
    app = create_app(bench_config(instance))   # or serve it: CERVIS_INSTANCE_PATH=instance

Every account's password is PASSWORD. The largest group-month is the opportunity and
month with the most pending offers (about 120 slots and 850 pending at full scale); it is
always in group 0 ("Venue 00"), whose leader is people["leader"].

    python3 -m bench.build --scale 0.01 [--rebuild]
"""

import argparse
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date, datetime, time as dtime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT / "bench" / "data"
VERSION = 7  # bump when the data's shape changes (2: passwords hashed with today's argon2 settings;
# 3: the rota's emails name their registration, as the app's do; 4: months announced;
# 5: registration ids in the order offers were made; 6: 1/100 has two months ahead;
# 7: training and checks, issue 16)
PASSWORD = "Bench nights in winter 2026"
ZONE = ZoneInfo("Europe/London")
ROLES = [
    ("Cook", 1, False, False),
    ("Reserve", 2, True, False),
    ("Shift Asst", 3, False, False),
    ("SL", 1, False, True),
]  # name, capacity, is_reserve, is_shift_leader
OFFERS_PER_ROLE = {"Cook": 0.22, "Reserve": 0.18, "Shift Asst": 0.45, "SL": 0.15}  # share of a night's offers
FREQUENCY_WEIGHT = {"Weekly": 4.0, "Fortnightly": 2.0, "Monthly": 1.0, "Occasionally": 0.4}
FREQUENCY_SHARE = {"Weekly": 0.25, "Fortnightly": 0.25, "Monthly": 0.3, "Occasionally": 0.2}
FULL = dict(groups=20, volunteers=5000, nights=730, registrations=400_000, audit=1_000_000, emails=200_000, grants=8000)
# Six qualifications, three of them required: SL needs the first two, Cook the third (name, months valid).
QUALIFICATIONS = [
    ("Shift leader training", None),
    ("Safeguarding", 36),
    ("Food hygiene level 2", 36),
    ("First aid", 36),
    ("DBS basic", 36),
    ("Manual handling", None),
]
REQUIRED = {"SL": (0, 1), "Cook": (2,)}


@dataclass
class Bench:
    scale: float
    folder: Path
    facts: dict

    @property
    def pristine(self):
        return self.folder / "pristine.db"


def scale_name(scale):
    return {0.01: "1/100", 0.1: "1/10", 1.0: "full"}.get(scale, f"x{scale:g}")


def folder_for(scale, root=DATA):
    return Path(root) / f"v{VERSION}-scale-{scale:g}"


def bench_config(instance, **extra):
    """create_app()'s test_config for a copy made by fresh_instance(): as served, cookies over http."""
    instance = Path(instance)
    return {
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": f"sqlite:///{instance / 'cervis.db'}",
        "SESSION_COOKIE_SECURE": False,
        **extra,
    }


def ensure(scale=1.0, rebuild=False, log=print, root=DATA):
    """The benchmark data at this scale, built now if missing, older than VERSION, or asked to."""
    folder = folder_for(scale, root)
    facts_file = folder / "facts.json"
    if not rebuild and facts_file.exists() and (folder / "pristine.db").exists():
        facts = json.loads(facts_file.read_text())
        if facts.get("version") == VERSION:
            return Bench(scale, folder, facts)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    facts = _build(scale, folder, log)
    facts["build_seconds"] = round(time.perf_counter() - started, 1)
    facts_file.write_text(json.dumps(facts, indent=2))
    log(f"built {scale_name(scale)} in {facts['build_seconds']} s: {facts['counts']}")
    return Bench(scale, folder, facts)


def fresh_instance(bench, name="run"):
    """A working instance folder holding a copy of the pristine database (runs change the data)."""
    instance = bench.folder / name
    if instance.exists():
        shutil.rmtree(instance)
    instance.mkdir()
    shutil.copyfile(bench.pristine, instance / "cervis.db")
    (instance / "secret_key").write_text("bench-secret-key-not-for-production")
    return instance


def largest_group_month(database, group):
    """(opportunity id, 'YYYY-MM', slots, pending offers) of the group's month with most pending
    offers: the group the benchmark's leader leads (people['leader'], group 0), whichever group's
    month would be largest on the day of the build.

    Months are the organisation's local months (Europe/London); the builder's slots start at 6 PM
    local, so the UTC date of a start is its local date."""
    row = database.execute_sql(
        "SELECT s.opportunity_id, substr(s.starts_at, 1, 7) AS m, COUNT(DISTINCT s.id),"
        " SUM(r.status = 'pending') AS p FROM slot s JOIN opportunity o ON o.id = s.opportunity_id"
        " LEFT JOIN registration r ON r.slot_id = s.id WHERE o.group_id = ?"
        " GROUP BY s.opportunity_id, m ORDER BY p DESC, s.opportunity_id LIMIT 1",
        (group,),
    ).fetchone()
    return {"opportunity": row[0], "month": row[1], "slots": row[2], "pending": row[3]}


# Building --------------------------------------------------------------------------------------


def _build(scale, folder, log):
    from cervis import create_app
    from cervis.db import database
    from cervis.migrations import init_db

    app = create_app(bench_config(folder, DATABASE_URL=f"sqlite:///{folder / 'pristine.db'}"))
    with app.app_context():
        init_db()
        with database.connection_context():
            database.execute_sql("PRAGMA journal_mode = OFF")  # one big write, no WAL copy of it
            database.execute_sql("PRAGMA synchronous = OFF")
            database.execute_sql("PRAGMA cache_size = -400000")  # the indexes' pages stay in memory
            with database.atomic():
                facts = _Builder(scale, database, log).run()
            facts["largest"] = largest_group_month(database, facts["big_group"])
            database.execute_sql("PRAGMA journal_mode = WAL")
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for leftover in ("outbox", "documents", "secret_key"):
        path = folder / leftover
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    facts.update(version=VERSION, scale=scale, built_on=date.today().isoformat(), password=PASSWORD)
    return facts


def _text(value):
    """What peewee stores in SQLite for a datetime, date or boolean."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat(" ") if isinstance(value, datetime) else value.isoformat()
    return value


def insert(database, model, fields, rows):
    """Bulk insert tuples of `fields` into model's table; other columns get the model's defaults."""
    meta = model._meta
    rest = [
        f
        for f in meta.sorted_fields
        if f.name not in fields and f.name != "id" and (f.default is not None or not f.null)
    ]
    defaults = tuple(_text(f.default() if callable(f.default) else f.default) for f in rest)
    columns = [meta.fields[name].column_name for name in fields] + [f.column_name for f in rest]
    sql = (
        f'INSERT INTO "{meta.table_name}" ({", ".join(chr(34) + c + chr(34) for c in columns)})'
        f" VALUES ({', '.join('?' * len(columns))})"
    )
    database.cursor().executemany(sql, (tuple(row) + defaults for row in rows))


class _Builder:
    def __init__(self, scale, database, log):
        self.db, self.log, self.rng = database, log, random.Random(2026)
        self.groups = max(2, round(FULL["groups"] * scale))
        self.nights = round(FULL["nights"] * FULL["groups"] * scale / self.groups)
        self.n_volunteers = max(40, round(FULL["volunteers"] * scale))
        self.target = {k: round(FULL[k] * scale) for k in ("registrations", "audit", "emails", "grants")}
        self.now = datetime.now(timezone.utc).replace(tzinfo=None)
        self.today = self.now.date()
        # Half the nights ahead, and at least two months: on the 1st of a month this month's rota is
        # complete, and the smallest charity (73 nights) must still have next month's to offer for.
        ahead = max(self.nights // 2, min(self.nights, 62))
        self.first_night = self.today - timedelta(days=self.nights - ahead)
        self.next_id = {}
        self.registered_on, self.held = {}, {}  # night -> registered volunteers; slot -> registered
        self.counts = {}

    def ids(self, model, n):
        start = self.next_id.get(model, 1)
        self.next_id[model] = start + n
        return range(start, start + n)

    def put(self, model, fields, rows):
        rows = list(rows)
        insert(self.db, model, fields, rows)
        self.counts[model.__name__] = self.counts.get(model.__name__, 0) + len(rows)
        return rows

    def run(self):
        from cervis.models import Organisation

        org = Organisation.current()
        org.name, org.short_name = "Benchmark Night Shelter Trust", "BNST"
        org.save()
        t = time.perf_counter()
        self.people()
        self.slots()
        self.log(f"  people and slots: {time.perf_counter() - t:.1f} s")
        self.registrations()
        self.log(f"  registrations: {time.perf_counter() - t:.1f} s")
        self.qualifications()
        self.emails()
        self.audit()
        self.log(f"  emails and audit: {time.perf_counter() - t:.1f} s")
        return {
            "counts": self.counts,
            "people": self.persona_emails,
            "groups": self.groups,
            "nights": self.nights,
            "first_night": self.first_night.isoformat(),
            "big_group": self.group_ids[0],
            "two_month_opportunity": self.two_month_opportunity,
        }

    # People --------------------------------------------------------------------------------------

    def people(self):
        from cervis import passwords
        from cervis.models import Frequency, Group, Membership, Profile, Role, User

        password_hash = passwords.hash_password(PASSWORD)
        frequencies = {f.name: f.id for f in Frequency.select()}
        self.group_ids = list(self.ids(Group, self.groups))
        self.put(
            Group,
            ["id", "name", "address"],
            ((gid, f"Venue {i:02d}", f"{i + 1} Bench Street") for i, gid in enumerate(self.group_ids)),
        )
        self.roles = {}  # group id -> [(role id, name, capacity)]
        rows = []
        for gid in self.group_ids:
            for position, (name, cap, reserve, leader) in enumerate(ROLES):
                rid = self.ids(Role, 1)[0]
                rows.append((rid, gid, name, cap, reserve, leader, position))
                self.roles.setdefault(gid, []).append((rid, name, cap))
        self.put(Role, ["id", "group", "name", "default_capacity", "is_reserve", "is_shift_leader", "position"], rows)

        created = _text(self.now - timedelta(days=800))
        users = list(self.ids(User, self.n_volunteers + 2 * self.groups + 1))
        volunteers, leaders, admin = users[: self.n_volunteers], users[self.n_volunteers : -1], users[-1]
        emails = {uid: f"volunteer{n:05d}@bench.example.org" for n, uid in enumerate(volunteers)}
        emails.update({uid: f"leader{n // 2:02d}{'ab'[n % 2]}@bench.example.org" for n, uid in enumerate(leaders)})
        emails[admin] = "admin@bench.example.org"
        self.put(
            User,
            [
                "id",
                "email",
                "first_name",
                "last_name",
                "password_hash",
                "session_token",
                "verified_generation",
                "is_admin",
                "created_at",
            ],
            (
                (
                    uid,
                    emails[uid],
                    f"First{uid}",
                    f"Last{uid}",
                    password_hash,
                    f"token{uid}-{self.rng.random()}",
                    1,
                    uid == admin,
                    created,
                )
                for uid in users
            ),
        )
        names = list(FREQUENCY_SHARE)
        self.frequency = dict(
            zip(volunteers, self.rng.choices(names, weights=list(FREQUENCY_SHARE.values()), k=len(volunteers)))
        )
        self.put(
            Profile,
            ["user", "frequency", "mobile", "postcode", "terms_accepted_at", "privacy_accepted_at"],
            (
                (uid, frequencies[self.frequency[uid]], f"07700 9{uid:05d}", "EX1 2AB", created, created)
                for uid in volunteers
            ),
        )
        self.members = self._memberships(volunteers)
        self._choose_personas()
        rows = [(uid, gid, False) for gid, uids in self.members.items() for uid in uids]
        self.volunteers, self.email_of = volunteers, emails
        rows += [(uid, self.group_ids[n // 2], True) for n, uid in enumerate(leaders)]
        self.put(Membership, ["user", "group", "is_leader"], rows)
        self.leaders = {gid: leaders[2 * i : 2 * i + 2] for i, gid in enumerate(self.group_ids)}
        # A few of each group lead the shift: only they offer for the SL role.
        self.shift_leaders = {gid: self.shift_leaders_of(gid) for gid in self.members}
        self.persona_emails = {
            "admin": emails[admin],
            "leader": emails[leaders[0]],
            "leader_all": [emails[u] for u in leaders[::2]],
        }

    def _memberships(self, volunteers):
        """Group 0 holds a fifth of everyone (1,000 at full scale); one in ten also joins a second group."""
        big = max(len(volunteers) // 5, len(volunteers) // self.groups)
        members = {gid: [] for gid in self.group_ids}
        members[self.group_ids[0]] = volunteers[:big]
        others = self.group_ids[1:]
        for n, uid in enumerate(volunteers[big:]):
            members[others[n % len(others)]].append(uid)
        for uid in volunteers[::10]:
            second = self.rng.choice(self.group_ids)
            if uid not in members[second]:
                members[second].append(uid)
        return members

    # Slots ---------------------------------------------------------------------------------------

    def slots(self):
        """Nightly 6 PM to 9 PM in every role, in two-month opportunities (Jan-Feb, Mar-Apr ...)."""
        from cervis.models import Opportunity, Slot
        from cervis.timeutil import to_utc

        self.night_slots = {}  # (group id, night index) -> [(slot id, role name, capacity)]
        self.night_start = []
        opportunities, slot_rows = {}, []
        for n in range(self.nights):
            day = self.first_night + timedelta(days=n)
            self.night_start.append(
                (to_utc(datetime.combine(day, dtime(18)), ZONE), to_utc(datetime.combine(day, dtime(21)), ZONE))
            )
        live_from = _text(self.now - timedelta(days=self.nights))
        for gi, gid in enumerate(self.group_ids):
            for n, (start, end) in enumerate(self.night_start):
                day = self.first_night + timedelta(days=n)
                block = (day.year, (day.month - 1) // 2)
                if (gid, block) not in opportunities:
                    oid = self.ids(Opportunity, 1)[0]
                    months = date(day.year, block[1] * 2 + 1, 1), date(day.year, block[1] * 2 + 2, 1)
                    opportunities[(gid, block)] = (
                        oid,
                        gid,
                        f"Night Shelter Venue {gi:02d} {months[0]:%b}-{months[1]:%b %Y}",
                        live_from,
                    )
                oid = opportunities[(gid, block)][0]
                here = []
                for rid, name, cap in self.roles[gid]:
                    sid = self.ids(Slot, 1)[0]
                    slot_rows.append((sid, oid, rid, _text(start), _text(end), cap))
                    here.append((sid, name, cap))
                self.night_slots[(gid, n)] = here
        self.put(Opportunity, ["id", "group", "name", "live_from"], opportunities.values())
        self.put(Slot, ["id", "opportunity", "role", "starts_at", "ends_at", "capacity"], slot_rows)
        self.announced(slot_rows, live_from)
        # The slot table's two-month opportunity: group 0's next block that is wholly ahead.
        ahead = [
            (block, row[0])
            for (gid, block), row in opportunities.items()
            if gid == self.group_ids[0] and date(block[0], block[1] * 2 + 1, 1) > self.today
        ]
        self.two_month_opportunity = (
            min(ahead)[1]
            if ahead
            else max(row[0] for (gid, _), row in opportunities.items() if gid == self.group_ids[0])
        )

    def announced(self, slot_rows, at):
        """Each month was announced when it opened, as cervis.announcements does: a first start must
        not announce two years of months to every member again (30,000 emails, 90 s of CPU)."""
        from cervis.models import Announcement

        newest, counts = {}, {}
        for sid, oid, _, start, _, _ in slot_rows:
            local = datetime.fromisoformat(start).replace(tzinfo=timezone.utc).astimezone(ZONE)
            key = (oid, local.strftime("%Y-%m"))
            newest[key] = max(newest.get(key, 0), sid)
            counts[key] = counts.get(key, 0) + 1
        self.put(
            Announcement,
            ["opportunity", "month", "kind", "key", "upto_slot", "slots", "recipients", "at"],
            (
                (oid, month, "launched", f"launched:{oid}:{month}", upto, counts[(oid, month)], 0, at)
                for (oid, month), upto in newest.items()
            ),
        )

    # Registrations -------------------------------------------------------------------------------

    def registrations(self):
        from cervis.models import Registration, RegistrationEvent

        first_ahead = next((n for n, (s, _) in enumerate(self.night_start) if s > self.now), self.nights)
        self.first_ahead = first_ahead
        month_end = date(self.today.year + (self.today.month == 12), self.today.month % 12 + 1, 1)
        self.rota_done_until = (month_end - self.first_night).days  # this month's rota is complete
        taken = self._personas()
        per_night = self.target["registrations"] / (self.groups * self.nights)
        everyday = set(self.personas.values())
        pools = {gid: self._pool([u for u in uids if u not in everyday]) for gid, uids in self.members.items()}
        rows = list(self.persona_rows)
        for gid in self.group_ids:
            want = per_night * (1.04 if gid == self.group_ids[0] else 1.0)
            for n in range(self.nights):
                busy = taken.get((gid, n), set())
                k = max(0, min(round(self.rng.gauss(want, 2)), len(self.members[gid]) * 2 // 3))
                rows += self._night(gid, n, pools[gid], busy, k)
        # Ids in the order the offers were made (20 to 60 days before each night, so a month's offers
        # interleave with the next month's), as a live database numbers them; not shuffled across two
        # years, which put one month's offers on every page of the table and its indexes.
        rows.sort(key=lambda row: row[3])
        ids = self.ids(Registration, len(rows))
        self.regs = [(rid, *row) for rid, row in zip(ids, rows)]
        self.put(
            Registration, ["id", "volunteer", "slot", "status", "created_at", "updated_at", "reminded_at"], self.regs
        )
        self.put(
            RegistrationEvent,
            ["registration", "status", "at", "by"],
            ((rid, "pending", row[3], row[0]) for rid, row in zip(ids, rows)),
        )

    def _pool(self, uids):
        """Volunteers repeated by how often they like to help: sampling from it follows Frequency."""
        pool = []
        for uid in uids:
            pool += [uid] * round(FREQUENCY_WEIGHT[self.frequency[uid]] * 5)
        return pool

    def _night(self, gid, n, pool, busy, k):
        chosen, seen = [], set(busy)
        while len(chosen) < k and len(seen) < len(pool):
            uid = self.rng.choice(pool)
            if uid not in seen:
                seen.add(uid)
                chosen.append(uid)
        leads = [u for u in chosen if u in self.shift_leaders[gid]]
        others = [u for u in chosen if u not in self.shift_leaders[gid]]
        sl_offers = round(k * OFFERS_PER_ROLE["SL"])
        others += leads[sl_offers:]  # more shift leaders than SL offers: they offer for another role
        out, i = [], 0
        for sid, role, cap in self.night_slots[(gid, n)]:
            if role == "SL":
                takers = leads[:sl_offers]
            else:
                share = round(k * OFFERS_PER_ROLE[role]) if role != "Shift Asst" else len(others)
                takers, i = others[i : i + share], i + share
            out += [self._row(u, sid, n, cap) for u in takers]
        return out

    def _row(self, uid, sid, n, cap):
        """One offer's state: past and this month decided, later months mostly waiting. A slot never
        holds more than its capacity, a volunteer is never registered twice on one night."""
        start = self.night_start[n][0]
        made = start - timedelta(days=self.rng.randint(20, 60))
        tonight = self.registered_on.setdefault(n, set())
        room = self.held.get(sid, 0) < cap and uid not in tonight
        if n < self.rota_done_until and not (n >= self.first_ahead and self.rng.random() < 0.05):
            status = "registered" if room else "not_required"
            if status == "registered" and self.rng.random() < 0.04:
                status = "cancelled"
        elif n < self.rota_done_until + 31 and room and self.rng.random() < 0.12:
            status = "registered"  # next month: the leader has started accepting
        else:
            status = "pending"
        if status == "registered":
            tonight.add(uid)
            self.held[sid] = self.held.get(sid, 0) + 1
        reminded = _text(start - timedelta(days=1)) if status == "registered" and n < self.first_ahead else None
        return (uid, sid, status, _text(made), _text(made), reminded)

    def _choose_personas(self):
        """The volunteers the driver logs in as; they stay out of the random draws, so their counts are exact."""
        g0, g1 = self.group_ids[:2]
        regular = [u for u in self.members[g1] if u not in self.shift_leaders_of(g1)]
        v20 = next(u for u in self.members[g0] if u not in self.shift_leaders_of(g0))
        v300, v500 = [u for u in regular if u != v20][:2]
        if v500 not in self.members[g0]:
            self.members[g0].append(v500)  # the one with 500 offers helps at two venues
        self.personas = {"volunteer_20": v20, "volunteer_300_past": v300, "volunteer_500": v500}

    def shift_leaders_of(self, gid):
        return set(self.members[gid][: max(2, len(self.members[gid]) // 12)])

    def _personas(self):
        g0, g1 = self.group_ids[:2]
        v20, v300, v500 = (self.personas[k] for k in ("volunteer_20", "volunteer_300_past", "volunteer_500"))
        ahead = list(range(self.first_ahead, self.nights))
        plan = [
            (v20, g0, ahead[:: max(1, len(ahead) // 20)][:20], "Shift Asst"),
            (v300, g1, list(range(self.first_ahead))[-300:], "Shift Asst"),
            (v500, g1, ahead, "Shift Asst"),
            (v500, g0, ahead[: max(0, 500 - len(ahead))], "Reserve"),
        ]
        self.persona_rows, taken = [], {}
        for uid, gid, nights, role in plan:
            for n in nights:
                sid = next(s for s, name, _ in self.night_slots[(gid, n)] if name == role)
                past = n < self.first_ahead
                status = "registered" if past or (gid == g1 and n < self.rota_done_until) else "pending"
                start = self.night_start[n][0]
                made = _text(start - timedelta(days=30))
                self.persona_rows.append(
                    (uid, sid, status, made, made, _text(start - timedelta(days=1)) if past else None)
                )
                taken.setdefault((gid, n), set()).add(uid)
                if status == "registered":
                    self.registered_on.setdefault(n, set()).add(uid)
                    self.held[sid] = self.held.get(sid, 0) + 1
        self.persona_emails.update({k: self.email_of[u] for k, u in self.personas.items()})
        return taken

    # Training and checks (issue 16) ------------------------------------------------------------

    def qualifications(self):
        """Every shift leader holds what SL needs; nine in ten who offered to cook hold food hygiene,
        the rest offer without it (Suggest Rota and Accept must leave them out); some of it runs
        out during the rota. The other three qualifications make up about 8,000 grants in all."""
        from cervis.models import Qualification, QualificationGrant, RoleRequirement

        qids = list(self.ids(Qualification, len(QUALIFICATIONS)))
        self.put(
            Qualification,
            ["id", "name", "position", "valid_months", "criminal_record_check"],
            (
                (qid, name, i, months, name.startswith("DBS"))
                for i, (qid, (name, months)) in enumerate(zip(qids, QUALIFICATIONS))
            ),
        )
        self.put(
            RoleRequirement,
            ["role", "qualification"],
            ((rid, qids[q]) for roles in self.roles.values() for rid, name, _ in roles for q in REQUIRED.get(name, ())),
        )
        role_of = {sid: name for slots in self.night_slots.values() for sid, name, _ in slots}
        cooks = sorted({reg[1] for reg in self.regs if role_of[reg[2]] == "Cook"})
        leaders = sorted({u for uids in self.shift_leaders.values() for u in uids})
        held = {(u, qids[0]): None for u in leaders}
        held.update({(u, qids[1]): self._runs_out(400, 1100) for u in leaders})
        held.update({(u, qids[2]): self._runs_out(-30, 1000) for u in cooks if self.rng.random() < 0.9})
        while len(held) < self.target["grants"]:
            q = self.rng.randrange(3, len(qids))
            held.setdefault(
                (self.rng.choice(self.volunteers), qids[q]),
                None if QUALIFICATIONS[q][1] is None else self._runs_out(-200, 1000),
            )
        gained = _text(self.today - timedelta(days=900))
        self.put(
            QualificationGrant,
            ["volunteer", "qualification", "state", "gained_on", "expires_on"],
            ((u, q, "granted", gained[:10], expires) for (u, q), expires in held.items()),
        )

    def _runs_out(self, first, last):
        return (self.today + timedelta(days=self.rng.randint(first, last))).isoformat()

    # History: emails and the audit log -----------------------------------------------------------

    def emails(self):
        from cervis.models import Email

        # As the app writes them: the rota's emails are about one registration (an undo finds them so).
        kinds = ["offer-acknowledgement", "confirmation", "not-required", "shift-reminder", "password-changed"]
        rows, span = [], (self.now - datetime.combine(self.first_night, dtime())).total_seconds()
        ids = self.ids(Email, self.target["emails"])
        for eid in ids:
            reg = self.rng.choice(self.regs)
            kind = kinds[eid % len(kinds)]
            uid, about = (
                (reg[1], "Registration") if kind != "password-changed" else (self.rng.choice(self.volunteers), "")
            )
            at = _text(self.now - timedelta(seconds=self.rng.random() * span))
            rows.append(
                (
                    eid,
                    kind,
                    self.email_of[uid],
                    uid,
                    f"Night shelter: {kind}",
                    "Thank you for volunteering.",
                    f"<bench-{eid}@bench.example.org>",
                    "sent",
                    at,
                    1,
                    at,
                    at,
                    about,
                    reg[0] if about else None,
                )
            )
        self.put(
            Email,
            [
                "id",
                "kind",
                "to_addr",
                "user",
                "subject",
                "body_text",
                "message_id",
                "status",
                "send_after",
                "attempts",
                "created_at",
                "sent_at",
                "subject_type",
                "subject_id",
            ],
            rows,
        )

    def audit(self):
        from cervis.models import AuditLog

        span = (self.now - datetime.combine(self.first_night, dtime())).total_seconds()
        leaders = [u for pair in self.leaders.values() for u in pair]
        actions = ["rota.accept", "rota.not-required", "registration.offer", "registration.cancel"]
        reg_ids = [r[0] for r in self.regs]
        rng, n = self.rng, self.target["audit"]
        stamps = sorted(self.now - timedelta(seconds=rng.random() * span) for _ in range(n))
        self.put(
            AuditLog,
            ["actor", "at", "action", "object_type", "object_id", "before", "after"],
            (
                (
                    rng.choice(leaders) if i % 2 == 0 else rng.choice(self.volunteers),
                    _text(stamps[i]),
                    actions[i % 4],
                    "Registration",
                    rng.choice(reg_ids),
                    '{"status": "pending"}',
                    '{"status": "registered"}',
                )
                for i in range(n)
            ),
        )


def main():
    ap = argparse.ArgumentParser(description="Build the benchmark's charity (kept in bench/data/).")
    ap.add_argument("--scale", type=float, default=1.0, help="1 (full), 0.1 or 0.01")
    ap.add_argument("--rebuild", action="store_true")
    args = ap.parse_args()
    bench = ensure(args.scale, rebuild=args.rebuild)
    print(json.dumps(bench.facts, indent=2))


if __name__ == "__main__":
    main()
