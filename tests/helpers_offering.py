"""Arranging the guide's "Offering Shifts" examples: a clock stopped on a chosen day, and the
Plug-In opportunity (Thursday evenings, Oct 9 - Nov 27, 2025) with its four roles."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cervis import offers, registering
from cervis.models import Group, Membership, Opportunity, Profile, Registration, Role, Slot, User
from cervis.timeutil import to_utc
from cervis.volunteer import signup, signup_find

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2025, 10, 1, 11, 0)  # UTC: a week before the guide's first Plug-In evening
HTMX = {"HX-Request": "true"}
GUIDE_ROLES = ("Cook", "Reserve", "Shift Asst", "SL")


class Clock:
    def __init__(self, now):
        self.now = now

    def __call__(self):
        return self.now


def stop_clock(monkeypatch):
    """The time the sign-up pages and offer() see, so the guide's dates stay in the future."""
    stopped = Clock(NOW)
    for module in (offers, registering, signup, signup_find):
        monkeypatch.setattr(module, "utcnow", stopped)
    return stopped


def local(y, m, d, hh=18, mm=0):
    return to_utc(datetime(y, m, d, hh, mm), LONDON)


def group(name="Northside"):
    return Group.get(Group.name == name)


def person(email):
    return User.by_email(email)


def opportunity(name="Plug-In", group_name="Northside", **fields):
    fields.setdefault("live_from", NOW - timedelta(days=7))
    fields.setdefault("location", "Wycombe Homeless Connection")
    return Opportunity.create(group=group(group_name), name=name, **fields)


def slot(opp, start, role="Shift Asst", hours=3, capacity=2, **fields):
    role = Role.get(Role.group == opp.group_id, Role.name == role)
    return Slot.create(
        opportunity=opp, role=role, starts_at=start, ends_at=start + timedelta(hours=hours), capacity=capacity, **fields
    )


def plug_in(weeks=8, **fields):
    """The guide's Plug-In: every Thursday from Oct 9, 2025, 6:00 PM to 9:00 PM, four roles."""
    opp = opportunity(**fields)
    capacities = {"Cook": 1, "Reserve": 2, "Shift Asst": 2, "SL": 1}
    for week in range(weeks):
        day = date(2025, 10, 9) + timedelta(weeks=week)
        for role in GUIDE_ROLES:
            slot(opp, local(day.year, day.month, day.day), role, capacity=capacities[role])
    return opp


def slot_of(opp, day, role):
    start = local(day.year, day.month, day.day)
    return Slot.select().join(Role).where(Slot.opportunity == opp, Role.name == role, Slot.starts_at == start).get()


def fill(target, how_many=None):
    """Register other volunteers until the slot is full: a leader accepted their offers."""
    for i in range(how_many or target.capacity):
        other = User.create(email=f"filler{target.id}-{i}@example.org", first_name=f"Filler{i}")
        Registration.create(volunteer=other, slot=target, status="registered")


def family_member(parent, first="Tom", birth_date=None):
    child = User.create(first_name=first, last_name=parent.last_name, family_of=parent, verified_generation=1)
    Profile.create(user=child, birth_date=birth_date)
    return child


def member(user, group_name):
    return Membership.select().where(Membership.user == user, Membership.group == group(group_name)).exists()


def offers_of(user):
    return list(Registration.select().where(Registration.volunteer == user).order_by(Registration.slot))


def register_form(volunteer, opp, slots, note=""):
    return {"volunteer": volunteer.id, "opportunity": opp.id, "note": note, "slot": [s.id for s in slots]}


def text(response):
    return slot_words(response.get_data(as_text=True))


WHEN_MARKUP = re.compile(
    r'<span class="day">([^<]*)</span><span class="time"><span>([^<]*)</span> to '
    r'<span>([^<]*)</span></span> <span class="role">([^<]*)</span>'
)


def slot_words(page):
    """The slot table's rows as the guide prints them: "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM Cook"
    (on a phone the same words are laid out under a date heading, the role on a line of its own)."""
    return WHEN_MARKUP.sub(r"\1\2 to \3 \4", page)


def has_box(page, slot_):
    """Whether the slot table offers a box to tick for this slot."""
    return f'name="slot" value="{slot_.id}"' in page


def slots_page(client, volunteer, opp, headers=None, **args):
    return client.get(
        "/portal/signup/slots", headers=headers, query_string={"volunteer": volunteer.id, "opportunity": opp.id, **args}
    )
