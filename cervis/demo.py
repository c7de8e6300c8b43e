"""A fictional charity to try every step: no real names, e-mails or phone numbers."""

import random
from datetime import date, datetime, time, timedelta

from . import demo_training, passwords
from .db import utcnow, write_transaction
from .models import (
    PENDING,
    REGISTERED,
    Branding,
    Frequency,
    Group,
    InterestCategory,
    Membership,
    Opportunity,
    OpportunityInterest,
    Organisation,
    PlaceOfWorship,
    Profile,
    ProfileAllergen,
    Allergen,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from .timeutil import to_utc

PASSWORD = "Winter nights 2026"
TEMP = "FirstLogin2345"
ROLES = [("Cook", 1), ("Reserve", 2), ("Shift Asst", 2), ("SL", 1)]
VENUES = [
    ("Brookside Church Hall", "12 Brook Lane, Exampleton EX1 2AB", 3),  # Thursdays
    ("Millfield Community Centre", "4 Mill Road, Exampleton EX2 3CD", 0),  # Mondays
]
VOLUNTEERS = [
    "Alex Ashdown",
    "Bea Brightwell",
    "Cal Chen",
    "Dana Duarte",
    "Eli Evans",
    "Fern Foster",
    "Gus Greenway",
    "Hana Hughes",
    "Ivo Ivanov",
    "Jo Jennings",
    "Kit Kowalski",
    "Lou Lambert",
]
ORG_NAME = "Exampleton Night Shelter Trust"
EMAILS = {
    "admin@example.org",
    "leader@example.org",
    "newcomer@example.org",
    *(f"{n.split()[0].lower()}@example.org" for n in VOLUNTEERS),
}


def not_the_demos():
    """What this database holds that the demo did not make: reasons to leave it alone."""
    found = []
    org = Organisation.select().order_by(Organisation.id).first()
    if org is not None and org.name not in (Organisation.name.default, ORG_NAME):
        found.append(f"the organisation {org.name!r}")
    others = User.select().where(User.email.is_null(True) | User.email.not_in(EMAILS)).count()
    if others:
        found.append(f"{others} account{'s' if others != 1 else ''} that the demo did not make")
    return found


def load():
    """Create the demo organisation once; return the logins as (role, e-mail, password)."""
    logins = [
        ("administrator", "admin@example.org", PASSWORD),
        ("group leader", "leader@example.org", PASSWORD),
        ("volunteer", "alex@example.org", PASSWORD),
        ("first login", "newcomer@example.org", TEMP),
    ]
    if User.by_email("admin@example.org"):
        return logins
    rng = random.Random(2026)
    with write_transaction():
        _organisation()
        groups = [_venue(name, address) for name, address, _ in VENUES]
        password_hash = passwords.hash_password(PASSWORD)
        admin = _person("Ada Admin", "admin@example.org", password_hash, is_admin=True)
        leader = _person("Lee Leader", "leader@example.org", password_hash)
        Membership.create(user=leader, group=groups[0], is_leader=True)
        Membership.create(user=leader, group=groups[1], is_leader=True)
        volunteers = [_person(n, f"{n.split()[0].lower()}@example.org", password_hash) for n in VOLUNTEERS]
        for i, v in enumerate(volunteers):
            Membership.create(user=v, group=groups[i % 2])
            if i % 3 == 0:
                Membership.create(user=v, group=groups[(i + 1) % 2])
        newcomer = User.create(
            email="newcomer@example.org",
            first_name="Nell",
            last_name="Newcomer",
            temp_password_hash=passwords.hash_password(TEMP),
            temp_password_expires=utcnow() + timedelta(days=30),
        )
        Membership.create(user=newcomer, group=groups[0])
        for group, (_, _, weekday) in zip(groups, VENUES):
            members = [v for v in volunteers if v.memberships.where(Membership.group == group).exists()]
            opp = _opportunity(group, weekday, members, leader, rng)
            _nights_to_show(opp, weekday, members, leader, tomorrow=group == groups[0])
        _month_cycle(groups, leader)
        demo_training.add(groups, {v.first_name: v for v in volunteers}, leader, admin)
        _applications(groups, leader)
    return logins


def _applications(groups, leader):
    """Two applications in progress: Priya waits for her second reference; Quinn has every step done
    (the DBS check too), ready to approve."""
    from .applications import default_steps
    from .models import OPEN, Application, ApplicationGroup, Reference, StepDone

    steps, now = default_steps(), utcnow()
    frequency = Frequency.select().order_by(Frequency.position).first()
    for first, last, days_ago, done in (("Priya", "Patel", 9, 2), ("Quinn", "Quarry", 30, len(steps))):
        since = now - timedelta(days=days_ago)
        application = Application.create(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}@example.net",
            phone="07700 900321",
            frequency=frequency,
            status=OPEN,
            created_at=since,
            privacy_accepted_at=since,
            confirmed_at=since,
        )
        ApplicationGroup.create(application=application, group=groups[0])
        for number, name in ((1, "Rosa Reed"), (2, "Stan Stone")):
            received = number == 1 or done == len(steps)
            Reference.create(
                application=application,
                number=number,
                name=name,
                email=f"{name.split()[0].lower()}.{first.lower()}@example.net",
                relationship="Manager at work" if number == 1 else "Neighbour",
                requested_at=since,
                received_at=since + timedelta(days=3) if received else None,
                known_for="5 years" if received else "",
                capacity="Work" if received else "",
                concerns=False if received else None,
                text="Reliable and kind." if received else "",
            )
        for step in steps[:done]:
            StepDone.create(
                application=application,
                step=step,
                done_at=since + timedelta(days=step.position),
                done_by=None if step.kind in ("email", "reference-1", "reference-2") else leader,
            )


DEMO_LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" '
    b'fill="#6b2c91"/><path fill="#fff" d="M32 12 10 31h6v21h12V40h8v12h12V31h6z"/><circle cx="32" cy="30" r="5" '
    b'fill="#6b2c91"/></svg>'
)


def _month_cycle(groups, leader):
    """The month's cycle: Brookside's open months were announced yesterday; its next month goes
    live in two hours (the scheduler announces it then); Millfield's offer deadline is in three
    days (the scheduler reminds whoever has offered nothing)."""
    from .announcements import audience, open_months
    from .models import Announcement

    now, zone = utcnow(), _zone()
    brookside = Opportunity.get(Opportunity.group == groups[0])
    people = len(audience(brookside))
    for month, slots in open_months(brookside, now, zone).items():
        Announcement.create(
            opportunity=brookside,
            month=month,
            key=f"launched:{brookside.id}:{month}",
            upto_slot=max(s[0] for s in slots),
            slots=len(slots),
            recipients=people,
            at=now - timedelta(days=1),
        )
    Opportunity.update(offer_deadline=now + timedelta(days=3)).where(Opportunity.group == groups[1]).execute()
    last = Slot.select(Slot.starts_at).where(Slot.opportunity == brookside).order_by(Slot.starts_at.desc()).scalar()
    first = date(last.year + last.month // 12, last.month % 12 + 1, 1)
    upcoming = Opportunity.create(
        group=groups[0],
        name=f"Night Shelter - {groups[0].name}, {first:%B %Y}",
        location=groups[0].address,
        live_from=now + timedelta(hours=2),
        offer_deadline=now + timedelta(days=16),
        description=brookside.description,
    )
    night = first + timedelta(days=(VENUES[0][2] - first.weekday()) % 7)
    while night.month == first.month:
        for role in groups[0].roles.order_by(Role.position):
            Slot.create(
                opportunity=upcoming,
                role=role,
                capacity=role.default_capacity,
                starts_at=to_utc(datetime.combine(night, time(18)), zone),
                ends_at=to_utc(datetime.combine(night, time(21)), zone),
                created_at=now - timedelta(hours=1),
            )
        night += timedelta(weeks=1)


def _organisation():
    face = Branding.current()
    face.logo, face.logo_type, face.logo_version = DEMO_LOGO, "svg", 1
    face.accent = "#6b2c91"
    face.welcome = (
        "Welcome, volunteers of Exampleton Night Shelter Trust. Log in to offer for shifts, "
        "see your rota and keep your details up to date. Stuck? Call 01632 960000."
    )
    face.save()
    org = Organisation.current()
    org.name, org.short_name = ORG_NAME, "ENST"
    org.contact_email, org.contact_phone = "volunteers@example.org", "01632 960000"
    org.contact_hours = "Mon - Fri 9am - 5pm"
    org.terms_text = (
        "Volunteers follow the shelter's safeguarding policy and the instructions of the shift leader."
        "\n\nPlease tell us as early as you can if you cannot come."
    )
    org.privacy_text = (
        "We keep your details to organise volunteering and to keep guests and volunteers safe. "
        "Only coordinators who need them see your allergies and emergency contact."
        "\n\nAsk us at any time to see or delete what we hold."
    )
    org.save()
    for i, name in enumerate(["St Example's, Exampleton", "Exampleton Friends Meeting House"]):
        PlaceOfWorship.get_or_create(name=name, defaults={"position": 10 + i})


def _venue(name, address):
    group = Group.create(name=name, address=address, description="Winter night shelter venue.")
    for i, (role, capacity) in enumerate(ROLES):
        Role.create(
            group=group,
            name=role,
            default_capacity=capacity,
            position=i,
            is_reserve=role == "Reserve",
            is_shift_leader=role == "SL",
        )
    return group


def _person(full_name, email, password_hash, **kw):
    first, last = full_name.split(" ", 1)
    user = User.create(
        email=email,
        first_name=first,
        last_name=last,
        password_hash=password_hash,
        verified_generation=Organisation.current().verify_generation,
        **kw,
    )
    if not kw.get("is_admin"):
        now = utcnow()
        profile = Profile.create(
            user=user,
            frequency=Frequency.select().order_by(Frequency.position).first(),
            mobile=f"07700 900{user.id:03d}",
            postcode="EX1 2AB",
            address="1 Example Street, Exampleton",
            emergency_name="A. Friend",
            emergency_phone="07700 900999",
            postal_mailings=False,
            supporter_emails=True,
            linked_organisation=False,
            birth_date=date(1980 + user.id % 20, 1 + user.id % 12, 1 + user.id % 27),
            terms_accepted_at=now,
            privacy_accepted_at=now,
        )
        ProfileAllergen.create(profile=profile, allergen=Allergen.get(Allergen.name == "None"))
    return user


def _opportunity(group, weekday, members, leader, rng):
    """Two months of 6:00 PM to 9:00 PM nights on one weekday, some Full, some Closed, offers waiting."""
    today = date.today()
    opp = Opportunity.create(
        group=group,
        name=f"Night Shelter - {group.name}",
        location=group.address,
        description="Evening shift: set up, cook and share a meal, settle guests for the night.",
        live_from=utcnow() - timedelta(days=1),
    )
    OpportunityInterest.create(opportunity=opp, category=InterestCategory.get(InterestCategory.name == "Night shelter"))
    roles = list(group.roles.order_by(Role.position))
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    for week in range(9):
        night = day + timedelta(weeks=week)
        for role in roles:
            slot = Slot.create(
                opportunity=opp,
                role=role,
                capacity=role.default_capacity,
                starts_at=to_utc(datetime.combine(night, time(18)), _zone()),
                ends_at=to_utc(datetime.combine(night, time(21)), _zone()),
                closed=(week == 5 and role.name == "Cook"),
            )
            _fill(slot, members, leader, rng, full=(week < 2 and role.name in ("Cook", "SL")))
    return opp


def _nights_to_show(opp, weekday, members, leader, tomorrow):
    """Last week's night, over and waiting for "Who came?"; and, at one venue, a shift tomorrow
    with a Reserve (cancel a place there to see cover start)."""
    today = date.today()
    _filled_night(opp, today - timedelta(days=(today.weekday() - weekday) % 7 or 7), members, leader)
    if tomorrow:
        _filled_night(opp, today + timedelta(days=1), members, leader)


def _filled_night(opp, day, members, leader):
    """One 6:00 PM to 9:00 PM night with every role registered: one volunteer a role, one Reserve."""
    starts, ends = (to_utc(datetime.combine(day, time(hour)), _zone()) for hour in (18, 21))
    free = [
        m
        for m in members
        if not Registration.select()
        .join(Slot)
        .where(Registration.volunteer == m, Registration.status == REGISTERED, Slot.starts_at == starts)
        .exists()
    ]
    for role in opp.group.roles.order_by(Role.position):
        slot, _ = Slot.get_or_create(
            opportunity=opp, role=role, starts_at=starts, defaults={"ends_at": ends, "capacity": role.default_capacity}
        )
        if not free or slot.registrations.where(Registration.status == REGISTERED).exists():
            continue
        volunteer = next((m for m in free if demo_training.suits(m, role)), free[0])
        free.remove(volunteer)
        reg, _ = Registration.get_or_create(volunteer=volunteer, slot=slot)
        Registration.update(status=REGISTERED).where(Registration.id == reg.id).execute()
        RegistrationEvent.create(registration=reg, status=REGISTERED, by=leader)


def _fill(slot, members, leader, rng, full):
    takers = rng.sample(members, k=min(len(members), slot.capacity + 2))
    for i, volunteer in enumerate(takers):
        status = REGISTERED if (full and i < slot.capacity) else PENDING
        if status == PENDING and rng.random() < 0.5:
            continue
        reg = Registration.create(
            volunteer=volunteer, slot=slot, status=status, note="Happy to cook if needed." if rng.random() < 0.2 else ""
        )
        RegistrationEvent.create(registration=reg, status=PENDING, by=volunteer)
        if status == REGISTERED:
            RegistrationEvent.create(registration=reg, status=REGISTERED, by=leader)


def _zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(Organisation.current().timezone)
