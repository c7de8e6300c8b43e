"""What the benchmark requests: the pages issue 9 lists, who asks for them, and the targets of
the actions (each Register, Accept and Complete Rota acts on something not yet done).

Targets are read straight from the database copy before the server starts (sqlite3, read-only
queries), so every action the driver sends is one the rules allow.
"""

import sqlite3
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone


@dataclass
class Page:
    name: str
    who: str  # a key of facts["people"]
    path: str = ""  # a GET
    action: str = ""  # "register", "accept", "complete", "login": a POST with its own targets
    htmx: bool = False
    limits: dict = field(default_factory=dict)


GET_LIMITS = {"cpu_ms": 15, "p50_ms": 15, "p99_ms": 50, "p99_8_ms": 150}
ACTION_LIMITS = {"cpu_ms": 25, "p99_ms": 60, "p99_8_ms": 250}


def pages(facts):
    largest, people = facts["largest"], facts["people"]
    rota = f"/leader/opportunities/{largest['opportunity']}/rota?month={largest['month']}"
    return (
        [
            Page("portal home", "volunteer_20", "/portal/", limits=dict(GET_LIMITS, floor_ratio=10)),
            Page("opportunity list (Sign up)", "volunteer_20", "/portal/signup", limits=GET_LIMITS),
            Page(
                "slot table (two-month opportunity)",
                "volunteer_20",
                f"/portal/signup/slots?opportunity={facts['two_month_opportunity']}",
                limits=GET_LIMITS,
            ),
            Page("View or Cancel (20 upcoming)", "volunteer_20", "/portal/registrations", limits=GET_LIMITS),
            Page("View or Cancel (500 upcoming)", "volunteer_500", "/portal/registrations", limits=GET_LIMITS),
            Page("history (300 past shifts)", "volunteer_300_past", "/portal/history", limits=GET_LIMITS),
            Page(
                "member list (1,000 members)",
                "leader",
                f"/leader/groups/{facts['big_group']}/members",
                limits=GET_LIMITS,
            ),
            Page("Leader Home", "leader", "/leader/", limits=GET_LIMITS),
            Page("rota board (largest group-month)", "leader", rota, limits=GET_LIMITS),
            Page("Tonight (a leader's venue)", "leader", "/leader/tonight", limits=GET_LIMITS),
            Page("Tonight (all 20 venues, administrator)", "admin", "/leader/tonight", limits=GET_LIMITS),
            Page("Register, 10 slots", "registerers", action="register", htmx=True, limits=ACTION_LIMITS),
            Page("Accept (inline)", "leader", action="accept", htmx=True, limits=ACTION_LIMITS),
            Page(
                "Complete Rota (largest group-month first)",
                "leader_all",
                action="complete",
                htmx=True,
                limits={"cpu_ms": 150},
            ),
            Page("log-in", "volunteer_20", action="login", limits={"cpu_ms": 40, "p99_ms": 100, "p99_8_ms": 500}),
            *api_pages(facts),
            *statistics_pages(facts),
        ]
        if people
        else []
    )


def api_pages(facts):
    """The API's lists, a page each (its default 50 rows; 200, its most, for slots), with a token
    that may read everything; "{volunteer_500}" is that persona's id (api_path)."""
    largest, v1 = facts["largest"], "/api/v1"
    paths = {
        "API opportunities": "/opportunities",
        "API slots (200, largest opportunity)": f"/slots?opportunity_id={largest['opportunity']}&limit=200",
        "API members (1,000-member group)": f"/groups/{facts['big_group']}/members",
        "API registrations (500-upcoming volunteer)": "/volunteers/{volunteer_500}/registrations",
        "API registrations of a slot": "/slots/{a_slot}/registrations",
        "API hours (300 past shifts)": "/volunteers/{volunteer_300_past}/hours",
    }
    return [Page(name, "api", v1 + path, limits=GET_LIMITS) for name, path in paths.items()]


def api_path(db_path, facts, path):
    """The path with its persona ids filled in from the database copy."""
    for key, email in facts["people"].items():
        if "{" + key + "}" in path:
            ((uid,),) = _read(db_path, "SELECT id FROM user WHERE email = ?", (email,))
            path = path.replace("{" + key + "}", str(uid))
    if "{a_slot}" in path:
        sql = "SELECT slot_id FROM registration GROUP BY slot_id ORDER BY COUNT(*) DESC LIMIT 1"
        path = path.replace("{a_slot}", str(_read(db_path, sql)[0][0]))
    return path


def statistics_pages(facts):
    """Issue 18: the Statistics page for the season under way and for the data's two years, as an
    administrator (every venue), without a cache."""
    today = datetime.now(timezone.utc).date()
    season = today.year if today.month >= 10 else today.year - 1
    first = date.fromisoformat(facts["first_night"])
    two_years = f"period=dates&from={first.isoformat()}&to={(first + timedelta(days=facts['nights'] - 1)).isoformat()}"
    return [
        Page(
            "Statistics (a season)",
            "admin",
            f"/leader/statistics?period=season&season={season}",
            limits={"cpu_ms": 100},
        ),
        Page("Statistics (two years)", "admin", f"/leader/statistics?{two_years}", limits={"cpu_ms": 300}),
    ]


def _now():
    return datetime.now(timezone.utc).replace(tzinfo=None).isoformat(" ")


def _read(db_path, sql, params=()):
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def registerers(db_path, facts, how_many):
    """Ordinary members of group 0 (not the personas) with the fewest offers, by e-mail."""
    personas = [v for k, v in facts["people"].items() if k.startswith("volunteer_")]
    rows = _read(
        db_path,
        "SELECT u.email FROM user u JOIN membership m ON m.user_id = u.id"
        " WHERE m.group_id = ? AND NOT m.is_leader ORDER BY (SELECT COUNT(*) FROM registration r"
        " WHERE r.volunteer_id = u.id), u.id LIMIT ?",
        (facts["big_group"], how_many + len(personas)),
    )
    return [email for (email,) in rows if email not in personas][:how_many]


def register_batches(db_path, facts, email, per_batch=10):
    """(opportunity id, [slot ids]) batches this volunteer may offer for: one open slot a night, on
    nights they have offered for nothing, ten a batch, all of one opportunity."""
    rows = _read(
        db_path,
        """
        SELECT s.opportunity_id, s.id FROM slot s JOIN opportunity o ON o.id = s.opportunity_id
        JOIN role r ON r.id = s.role_id
        WHERE o.group_id = ? AND s.starts_at > datetime('now', '+2 days') AND r.name = 'Shift Asst'
          AND NOT s.closed
          AND (SELECT COUNT(*) FROM registration x WHERE x.slot_id = s.id AND x.status = 'registered') < s.capacity
          AND s.starts_at NOT IN (SELECT s2.starts_at FROM registration r2 JOIN slot s2 ON s2.id = r2.slot_id
                                  WHERE r2.volunteer_id = (SELECT id FROM user WHERE email = ?))
        ORDER BY s.opportunity_id, s.starts_at""",
        (facts["big_group"], email),
    )
    by_opportunity = {}
    for opportunity, slot in rows:
        by_opportunity.setdefault(opportunity, []).append(slot)
    return [
        (o, slots[i : i + per_batch])
        for o, slots in by_opportunity.items()
        for i in range(0, len(slots) - per_batch + 1, per_batch)
    ]


def accept_targets(db_path, facts, how_many):
    """Pending offers in group 0's slots with room, outside the largest month (Complete Rota's),
    one a slot and one a volunteer a night, from someone with the role's training, so every Accept
    is allowed."""
    largest = facts["largest"]
    rows = _read(
        db_path,
        """
        SELECT r.id, r.slot_id, r.volunteer_id, s.starts_at FROM registration r
        JOIN slot s ON s.id = r.slot_id JOIN opportunity o ON o.id = s.opportunity_id
        WHERE o.group_id = ? AND r.status = 'pending' AND s.starts_at > datetime('now', '+2 days')
          AND NOT (s.opportunity_id = ? AND substr(s.starts_at, 1, 7) = ?)
          AND (SELECT COUNT(*) FROM registration x WHERE x.slot_id = s.id AND x.status = 'registered') < s.capacity
          AND NOT EXISTS (SELECT 1 FROM registration y JOIN slot t ON t.id = y.slot_id
                          WHERE y.volunteer_id = r.volunteer_id AND y.status = 'registered'
                            AND t.starts_at < s.ends_at AND t.ends_at > s.starts_at)
          AND NOT EXISTS (SELECT 1 FROM rolerequirement q WHERE q.role_id = s.role_id
                          AND NOT EXISTS (SELECT 1 FROM qualificationgrant g WHERE g.volunteer_id = r.volunteer_id
                                          AND g.qualification_id = q.qualification_id AND g.state = 'granted'
                                          AND (g.expires_on IS NULL OR g.expires_on >= date(s.starts_at))))
        ORDER BY s.starts_at, r.id""",
        (facts["big_group"], largest["opportunity"], largest["month"]),
    )
    chosen, slots, nights = [], set(), set()
    for reg, slot, volunteer, starts in rows:
        if slot in slots or (volunteer, starts) in nights:
            continue
        slots.add(slot)
        nights.add((volunteer, starts))
        chosen.append(reg)
        if len(chosen) == how_many:
            break
    return chosen


def complete_targets(db_path, facts):
    """{leader e-mail: [(opportunity id, 'YYYY-MM', pending)]}, each group's months with the most
    pending offers first; group 0's leader (people['leader']) starts with the largest group-month."""
    rows = _read(
        db_path,
        """
        SELECT o.group_id, s.opportunity_id, substr(s.starts_at, 1, 7) AS m, COUNT(*) FROM registration r
        JOIN slot s ON s.id = r.slot_id JOIN opportunity o ON o.id = s.opportunity_id
        WHERE r.status = 'pending' AND s.starts_at > ? GROUP BY 1, 2, 3 ORDER BY 4 DESC""",
        (_now(),),
    )
    leaders = dict(
        _read(
            db_path,
            """
        SELECT m.group_id, MIN(u.email) FROM membership m JOIN user u ON u.id = m.user_id
        WHERE m.is_leader GROUP BY 1""",
        )
    )
    targets = {}
    for group, opportunity, month, pending in rows:
        targets.setdefault(leaders[group], []).append((opportunity, month, pending))
    return targets


def overbooked(db_path):
    """Slots holding more registered volunteers than their capacity: must stay 0."""
    return _read(
        db_path,
        "SELECT COUNT(*) FROM slot s WHERE (SELECT COUNT(*) FROM registration r"
        " WHERE r.slot_id = s.id AND r.status = 'registered') > s.capacity",
    )[0][0]
