"""Arranging "Who came?": a night some days ago that Vera cooked, Rex assisted and Sue led."""

from datetime import datetime, timedelta

from conftest import PASSWORD, hashed
from helpers_rota import ZONE, member, offer, opportunity

from cervis.db import utcnow
from cervis.models import REGISTERED, Role, Slot, User
from cervis.timeutil import to_local, to_utc


def nights_ago(days, role):
    opp = opportunity()
    day = to_local(utcnow(), ZONE).date() - timedelta(days=days)
    starts = to_utc(datetime.combine(day, datetime.min.time()) + timedelta(hours=18), ZONE)
    return Slot.get_or_create(
        opportunity=opp,
        role=Role.get(Role.group == opp.group, Role.name == role),
        starts_at=starts,
        defaults={"ends_at": starts + timedelta(hours=3), "capacity": 2},
    )[0]


def a_night(days=3):
    """Vera cooked, Rex assisted and Sue led the night, `days` ago."""
    vera = User.by_email("vera@example.org")
    rex = member("Rex")
    sue = member("Sue")
    User.update(password_hash=hashed(PASSWORD)).where(User.id == sue.id).execute()
    regs = {
        "vera": offer(vera, nights_ago(days, "Cook"), REGISTERED),
        "rex": offer(rex, nights_ago(days, "Shift Asst"), REGISTERED),
        "sue": offer(sue, nights_ago(days, "SL"), REGISTERED),
    }
    day = to_local(regs["vera"].slot.starts_at, ZONE).date()
    return regs, f"/leader/opportunities/{opportunity().id}/attendance/{day.isoformat()}"
