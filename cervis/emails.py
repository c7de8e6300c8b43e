"""One small function per email kind; each puts a row in the outbox and sends nothing itself.

Templates: templates/emails/<kind>-subject.txt, <kind>-body.txt and <kind>-body.html.
"""

import secrets
import time
from datetime import datetime
from typing import NamedTuple

import peewee
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext

from . import languages
from .translated import lazy
from .db import database, insert_rows, utcnow
from .email_openings import opening
from .models import Branding, Email, Organisation
from .timeutil import org_zone, slot_when


class Letters:
    """Emails of one kind, with what they share read once: the organisation, its face, the
    opening paragraph, the compiled templates and the context processors' values. Complete Rota
    writes hundreds at once (one per volunteer not required)."""

    PARTS = ("subject.txt", "body.txt", "body.html")

    def __init__(self, kind):
        org, face = Organisation.current(), Branding.face()
        self.kind = kind
        self.templates = [current_app.jinja_env.get_template(f"emails/{kind}-{part}") for part in self.PARTS]
        self.shared = {}
        current_app.update_template_context(self.shared)  # what render_template would add to each
        self.shared.update(
            org=org,
            brand=lambda: face,
            opening=opening(kind, org),
            home_url=current_app.config["BASE_URL"].rstrip("/") + "/",
        )
        self.domain = (current_app.config["MAIL_SENDER"].rpartition("@")[2] or "cervis.local").strip(">")

    def render(self, to_name="", urgent=False, language=None, **context):
        """(subject, text, html) of one email, in the recipient's language (the organisation's if
        nobody in particular)."""
        with force_locale(language or languages.of(None)):
            # The shared values were taken in one language; the catalogue is the recipient's.
            shared = {**self.shared, **languages.catalogue_once(), "to_name": to_name, "urgent": urgent}
            subject, text, html = (t.render({**shared, **context}) for t in self.templates)
            subject = subject.strip()
            return fit_subject(gettext("URGENT: %(subject)s", subject=subject) if urgent else subject), text, html

    def row(
        self,
        to_addr,
        to_name="",
        user=None,
        urgent=False,
        send_after=None,
        about=None,
        key=None,
        from_name="",
        reply_to="",
        **context,
    ):
        """An Email row's values, rendered, not yet saved."""
        subject, text, html = self.render(to_name, urgent, languages.of(user), **context)
        return dict(
            kind=self.kind,
            to_addr=to_addr,
            to_name=to_name,
            user=user,
            urgent=urgent,
            subject=subject,
            body_text=text,
            body_html=html,
            message_id=message_id(self.domain),
            send_after=send_after or utcnow(),
            subject_type=type(about).__name__ if about is not None else "",
            subject_id=getattr(about, "id", None),
            key=key,
            from_name=from_name,
            reply_to=reply_to,
        )


def when(starts_at, ends_at, zone=None):
    """A slot's times for an e-mail's context, written out only as the e-mail is rendered: in the
    recipient's language, not the language of whoever's action sent it."""
    return lazy(slot_when, starts_at, ends_at, zone)


def message_id(domain):
    """Unique, and in the order made (the clock first, then randomness): a batch of emails adds to
    the end of the unique index rather than to hundreds of its pages."""
    return f"<{time.time_ns():x}.{secrets.token_hex(8)}@{domain}>"


def render(kind, to_name="", urgent=False, **context):
    """(subject, text, html) of one email: what queue() stores, and the administrators' preview."""
    return Letters(kind).render(to_name, urgent, **context)


def queue(
    kind,
    to_addr,
    to_name="",
    user=None,
    urgent=False,
    send_after=None,
    about=None,
    key=None,
    from_name="",
    reply_to="",
    **context,
):
    return Email.create(
        **Letters(kind).row(to_addr, to_name, user, urgent, send_after, about, key, from_name, reply_to, **context)
    )


def queue_all(rows):
    """Rows of Letters.row(), saved in one prepared statement (with the columns' defaults, as
    Email.create would); how many."""
    if rows:
        defaults = {f.name: d() if callable(d) else d for f, d in Email._meta.defaults.items()}
        rows = [{**defaults, **r} for r in rows]
        fields = [Email._meta.fields[name] for name in rows[0]]
        insert_rows(Email, fields, [tuple(r.values()) for r in rows])
    return len(rows)


def once(key, kind, user, **context):
    """A job's email, queued only if no email with this key ever was: a second run, a restart or a
    second scheduler finds the key taken (the unique index decides) and queues nothing. None then."""
    try:
        with database.atomic():  # a savepoint inside the caller's transaction
            return to_user(kind, user, key=key, **context)
    except peewee.IntegrityError:
        return None


def to_user(kind, user, **context):
    return queue(kind, user.email, user.name, user=user, user_first=user.first_name, **context)


def absolute(endpoint, **values):
    """A link for an email: from BASE_URL, never from the request's Host header (which a visitor
    chooses), and built the same way inside the scheduler, where there is no request."""
    if has_request_context():
        path = url_for(endpoint, **values)
    else:
        with current_app.test_request_context():
            path = url_for(endpoint, **values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def temporary_password(user, temp, link):
    """Don't Know Password / Reset Password: the temporary password, and a link that stands in for it."""
    return to_user("temporary-password", user, temp=temp, link=link)


def welcome(user, temp, link):
    """An account the charity made (added, imported or approved): its first temporary password."""
    return to_user("welcome", user, temp=temp, link=link)


def password_changed(user):
    return to_user("password-changed", user)


# The rota board's emails, handed what they say by cervis/rota_emails.py --------------------------


def _rota_row(letters, volunteer, about, send_after=None, **context):
    """A rota email's row, to the volunteer or to the parent who reads a family member's; None
    when nobody can read it (the change still shows on the board and the portal)."""
    inbox = volunteer.inbox
    if inbox is None:
        return None
    return letters.row(
        inbox.email,
        inbox.name,
        user=inbox,
        about=about,
        send_after=send_after,
        user_first=inbox.first_name,
        for_other=volunteer.name if inbox.id != volunteer.id else "",
        **context,
    )


def _rota_email(kind, volunteer, about, send_after=None, **context):
    return save(_rota_row(Letters(kind), volunteer, about, send_after, **context))


def save(row):
    """Queue a row rendered earlier (None: nobody can read it, nothing queued)."""
    return Email.create(**row) if row is not None else None


def rota_confirmation(registration, details, send_after=None, soon=False, shift_leader=None):
    """The guide's "Next Steps" confirmation's row, rendered, not saved; send_after leaves the
    leader an undo window. Soon (no reminder will follow), it says so and names that night's shift leader."""
    return _rota_row(
        Letters("confirmation"),
        registration.volunteer,
        registration,
        send_after,
        soon=soon,
        shift_leader=shift_leader,
        **details,
    )


def rota_called_up(registration, details):
    """A Reserve is needed: "another confirmation email with the role you're now needed for"."""
    return _rota_email("called-up", registration.volunteer, registration, **details)


def rota_change_of_plan(registration, details):
    """An undo after the confirmation went: the volunteer's offer is pending again."""
    return _rota_email("confirmation-withdrawn", registration.volunteer, registration, **details)


def rota_removed(registration, details, reason):
    return _rota_email("removed", registration.volunteer, registration, reason=reason, **details)


def rota_cancelled(registration, details):
    """A volunteer cancelled a registered place: the calendar update that takes it out."""
    return _rota_email("registration-cancelled", registration.volunteer, registration, **details)


class Shift(NamedTuple):
    """One slot as a "not required" email lists it."""

    event_name: str
    starts_at: datetime
    ends_at: datetime
    role: str

    @classmethod
    def of(cls, slot):
        return cls(slot.opportunity.name, slot.starts_at, slot.ends_at, slot.role.name)


def rota_not_required(shifts_of, about=None, send_after=None):
    """One email to each volunteer listing every slot they are not required for ({volunteer:
    [Shift]}), saved together. How many were queued."""
    rows = rota_not_required_rows(shifts_of, about, send_after).values()
    return queue_all([row for row in rows if row is not None])


def rota_not_required_rows(shifts_of, about=None, send_after=None):
    """{volunteer id: their "not required" email's row (None when nobody can read it)}, rendered,
    not saved: Complete Rota renders its hundreds before it takes the write lock."""
    letters, zone = Letters("not-required"), org_zone()
    rows = {}
    for volunteer, shifts in shifts_of.items():
        listed = [
            {"event_name": s.event_name, "when": when(s.starts_at, s.ends_at, zone), "role": s.role} for s in shifts
        ]
        rows[volunteer.id] = _rota_row(letters, volunteer, about, send_after, shifts=listed)
    return rows


def opportunity_cancelled(user, opportunity, message, shifts):
    """An opportunity a volunteer offered for or was registered to has been cancelled by its leader."""
    return to_user(
        "opportunity-cancelled", user, opportunity=opportunity, message=message, shifts=shifts, about=opportunity
    )


def fit_subject(subject, limit=255):
    """At most `limit` characters (Email.subject's column; PostgreSQL refuses longer), cut at a
    word with an ellipsis: a long opportunity name must not stop its confirmation."""
    if len(subject) <= limit:
        return subject
    cut = subject[: limit - 1]
    if cut.rfind(" ") > limit - 40:  # a word boundary near the end; else cut inside the long word
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" -:,") + "…"
