"""One small function per email kind; each puts a row in the outbox and sends nothing itself.

Templates: templates/emails/<kind>-subject.txt, <kind>-body.txt and <kind>-body.html.
"""
import uuid

from flask import current_app, render_template, url_for

from .db import utcnow
from .models import Email, Organisation


def queue(kind, to_addr, to_name="", user=None, urgent=False, send_after=None, about=None, **context):
    org = Organisation.current()
    context.update(org=org, to_name=to_name, urgent=urgent,
                   home_url=current_app.config["BASE_URL"].rstrip("/") + "/")
    subject = render_template(f"emails/{kind}-subject.txt", **context).strip()
    if urgent:
        subject = f"URGENT: {subject}"
    domain = (current_app.config["MAIL_SENDER"].rpartition("@")[2] or "cervis.local").strip(">")
    return Email.create(
        kind=kind, to_addr=to_addr, to_name=to_name, user=user, urgent=urgent,
        subject=subject,
        body_text=render_template(f"emails/{kind}-body.txt", **context),
        body_html=render_template(f"emails/{kind}-body.html", **context),
        message_id=f"<{uuid.uuid4().hex}@{domain}>",
        send_after=send_after or utcnow(),
        subject_type=type(about).__name__ if about is not None else "",
        subject_id=getattr(about, "id", None),
    )


def to_user(kind, user, **context):
    return queue(kind, user.email, user.name, user=user, user_first=user.first_name, **context)


def absolute(endpoint, **values):
    """A link for an email: built from BASE_URL, since the scheduler has no request."""
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def temporary_password(user, temp, link, kind="temporary-password"):
    """Kinds: 'temporary-password' (reset) and 'welcome' (an account the charity made)."""
    return to_user(kind, user, temp=temp, link=link)


def password_changed(user):
    return to_user("password-changed", user)
