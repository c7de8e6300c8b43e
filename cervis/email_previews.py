"""Every kind of email with sample data, for the administrators' preview: nothing is saved or sent.

The samples are plain objects shaped like what each email function passes its templates; a kind
added later without a sample still appears, with a note instead of a preview.
"""

from flask_babel import gettext
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace as Sample

from flask import current_app

from . import emails
from .db import utcnow
from .timeutil import local_datetime, month_label

LINK = "/portal/cancel/sample-link"


def kinds():
    """Every kind that has templates: templates/emails/<kind>-subject.txt."""
    folder = Path(current_app.template_folder) / "emails"
    return sorted(p.name[: -len("-subject.txt")] for p in folder.glob("*-subject.txt"))


def _base():
    start = utcnow().replace(hour=18, minute=0, second=0, microsecond=0) + timedelta(days=7)
    group = Sample(name="Northside", address="1 North Street")
    opportunity = Sample(
        id=0, name="Night Shelter", location="1 North Street", group=group, offer_deadline=start - timedelta(days=3)
    )
    volunteer = Sample(name="Vera Volunteer", first_name="Vera", family_of_id=None, email="vera@example.org")
    leader = Sample(name="Leo Leader", first_name="Leo", email="leo@example.org", phone="07700 900123")
    slot = Sample(starts_at=start, ends_at=start + timedelta(hours=12), opportunity=opportunity)
    rota = dict(
        event_name="Night Shelter",
        when=emails.when(start, start + timedelta(hours=3)),
        role="Cook",
        cancel_link=LINK,
        location="1 North Street",
        leader=leader,
        leader_phone="07700 900123",
        for_other="",
        calendar={
            "google": "https://calendar.google.com/...",
            "ical": "/calendar/sample.ics",
            "outlook": "https://outlook.live.com/...",
        },
    )
    month = dict(
        month=month_label(start),
        slots=24,
        roles=[("Cook", 8), ("Reserve", 8), ("Shift Asst", 8)],
        link="/portal/signup/slots",
    )
    announcement = dict(
        opportunity=opportunity,
        group=group,
        month=month["month"],
        months=[month],
        deadline=local_datetime(start - timedelta(days=3)),
        profile_link="/portal/profile#announcements",
    )
    return dict(
        group=group,
        opportunity=opportunity,
        volunteer=volunteer,
        leader=leader,
        slot=slot,
        rota=rota,
        announcement=announcement,
    )


def sample(kind):
    """The context for one kind, or None when there is no sample for it yet."""
    b = _base()
    shift = {
        "opportunity": "Night Shelter",
        "when": b["rota"]["when"],
        "role": "Cook",
        "hours": "12",
        "event_name": "Night Shelter",
        "location": "1 North Street",
        "address": "1 North Street",
        "cancel_url": LINK,
        "who": "",
        "volunteer": "Vera Volunteer",
        "registered": 1,
        "capacity": 2,
        "was": "Registered",
        "shift_leader": {"name": "Leo Leader", "phone": "07700 900123"},
    }
    samples = {
        "confirmation": dict(b["rota"], soon=False, shift_leader=None),
        "called-up": b["rota"],
        "confirmation-withdrawn": b["rota"],
        "removed": dict(b["rota"], reason="Double booked"),
        "not-required": dict(shifts=[shift], for_other=""),
        "offer-acknowledgement": dict(volunteer=b["volunteer"], for_family=False, shifts=[shift], note=""),
        "opportunity-cancelled": dict(
            opportunity=b["opportunity"], message=gettext("The hall is closed for repairs."), shifts=[shift]
        ),
        "cancellation-leader": dict(group=b["group"], shifts=[shift], by=b["volunteer"], reason="Unwell"),
        "shift-reminder": dict(
            slot=b["slot"],
            volunteer=b["volunteer"],
            opportunity=b["opportunity"],
            role=Sample(name="Cook"),
            leader=b["leader"],
            cancel_link=LINK,
            reg=None,
        ),
        "password-changed": {},
        "temporary-password": dict(temp="Sample2345abc", link="/password/temporary/sample"),
        "welcome": dict(temp="Sample2345abc", link="/password/temporary/sample"),
        "shift-bookings-launched": b["announcement"],
        "more-shifts-added": dict(
            b["announcement"],
            months=[dict(b["announcement"]["months"][0], slots=3, roles=[("Cook", 2), ("Reserve", 1)])],
        ),
        "offer-deadline": b["announcement"],
        "registration-cancelled": b["rota"],
        "cover-ask": dict(b["rota"], link="/cover/sample-link"),
        "stand-in-ask": dict(b["rota"], volunteer="Sam", link="/portal/stand-in/take/sample-link"),
        "stand-in-volunteer": dict(b["rota"], news="found", stand_in="Sam Southsider"),
        "stand-in-leaders": dict(
            b["rota"], news="found", volunteer="Sam Southsider", stand_in="Vera Volunteer", board="/leader/rota"
        ),
        "waiting-offer": dict(b["rota"], link="/portal/waiting/sample-link", until="Wed, Oct 8, 2025 12:00 AM"),
        "cover-leaders": dict(
            b["rota"],
            news="opened",
            volunteer="Vera Volunteer",
            asked=3,
            reserves=[("Sam Southsider", "07700 900456")],
            board="/leader/rota",
        ),
        "leader-message": dict(
            subject="Thank you",
            message=gettext("Thank you all for last week.\n\nSee you soon."),
            leader=b["leader"],
            group=b["group"],
            unsubscribe_link="/unsubscribe/sample-link",
            profile_link="/portal/profile#announcements",
        ),
        "application-confirm": dict(link="/apply/sample-link"),
        "application-has-account": dict(reset_link="/reset"),
        "application-inactive-account": {},
        **_application_samples(),
        "data-protection-reminder": dict(due=4, asked=1, years=3, link="/admin/data-protection"),
        **_training_samples(b),
    }
    return samples.get(kind)


def _application_samples():
    referee = Sample(name="Rita Referee", relationship="Former employer", email="rita@example.org")
    asked = dict(referee=referee, applicant="Alex Applicant", link="/reference/sample-link")
    return {"reference-request": asked, "reference-reminder": asked, "application-declined": {}}


def _training_samples(b):
    runs_out = (utcnow() + timedelta(days=14)).date()
    grant = Sample(volunteer=b["volunteer"], qualification=Sample(name="Safeguarding"), expires_on=runs_out)
    place = Sample(
        when=b["rota"]["when"],
        role="SL",
        opportunity="Night Shelter",
        volunteer="Vera Volunteer",
        missing=["Shift leader training"],
    )
    return {
        "qualification-expiring": dict(
            volunteer=b["volunteer"],
            qualification="Safeguarding",
            expires_on=runs_out,
            days=14,
            link="/portal/profile#training",
        ),
        "qualification-digest": dict(group=b["group"], expiring=[grant], places=[place], link="/leader/"),
    }


SAMPLED = (
    "confirmation",
    "called-up",
    "confirmation-withdrawn",
    "removed",
    "not-required",
    "offer-acknowledgement",
    "opportunity-cancelled",
    "cancellation-leader",
    "shift-reminder",
    "password-changed",
    "temporary-password",
    "welcome",
    "shift-bookings-launched",
    "more-shifts-added",
    "offer-deadline",
    "registration-cancelled",
    "cover-ask",
    "cover-leaders",
    "waiting-offer",
    "stand-in-ask",
    "stand-in-volunteer",
    "stand-in-leaders",
    "leader-message",
    "data-protection-reminder",
    "qualification-expiring",
    "qualification-digest",
    "application-confirm",
    "application-has-account",
    "application-inactive-account",
    "reference-request",
    "reference-reminder",
    "application-declined",
)


def preview(kind):
    """(subject, text, html) with sample data, or None when this kind has no sample yet."""
    context = sample(kind)
    if context is None:
        return None
    return emails.render(kind, "Vera Volunteer", user_first="Vera", **context)


__all__ = ["kinds", "sample", "preview", "SAMPLED"]
