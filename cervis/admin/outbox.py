"""Outbox: every email CERVIS has written, newest first; read one, send a failed one again."""

from ..translated import lazy_gettext
from flask_babel import gettext
import re

from flask import render_template, request, url_for

from .. import outbox as delivery
from ..auth import admin_required
from ..db import write_transaction
from ..htmx import done
from ..models import AuditLog, Email
from ..models.mail import FAILED, QUEUED, SENDING, SENT, WITHDRAWN
from ..permissions import email_or_404
from . import bp
from .paging import Page, me

STATUSES = [
    (QUEUED, lazy_gettext("Queued")),
    (SENDING, lazy_gettext("Sending")),
    (SENT, lazy_gettext("Sent")),
    (FAILED, lazy_gettext("Failed")),
    (WITHDRAWN, lazy_gettext("Withdrawn")),
]
LABELS = dict(STATUSES)
# An administrator reads emails to see what went out, not to borrow a volunteer's way in.
SECRETS = [
    (re.compile(r"(Temporary password:\s*)\S+"), r"\1[hidden]"),
    (re.compile(r"(/password/temporary/)[^\s\"'<>]+"), r"\1[hidden]"),
]


def shown_text(email):
    """The plain-text body with temporary passwords and their links hidden."""
    text = email.body_text
    for pattern, replacement in SECRETS:
        text = pattern.sub(replacement, text)
    return text


@bp.route("/outbox")
@admin_required
def outbox():
    status = request.args.get("status", "")
    query = Email.select().order_by(Email.created_at.desc(), Email.id.desc())
    if status in LABELS:
        query = query.where(Email.status == status)
    else:
        status = ""
    return render_template("admin/outbox.html", page=Page(query), status=status, statuses=STATUSES, labels=LABELS)


@bp.route("/outbox/<int:email_id>")
@admin_required
def outbox_email(email_id):
    email = email_or_404(email_id)
    return render_template("admin/outbox_email.html", email=email, text=shown_text(email), labels=LABELS)


@bp.route("/outbox/<int:email_id>/retry", methods=["POST"])
@admin_required
def outbox_retry(email_id):
    email = email_or_404(email_id)
    back = (
        url_for("admin.outbox_email", email_id=email.id)
        if request.form.get("back") == "email"
        else url_for("admin.outbox", status=request.form.get("status") or None)
    )
    if email.status != FAILED:
        return done(
            "admin/_outbox_row.html",
            back,
            gettext("Only a failed email can be sent again."),
            "error",
            target=f"email-{email.id}",
            email=email,
            labels=LABELS,
        )
    before = {"status": email.status, "attempts": email.attempts, "last_error": email.last_error}
    with write_transaction():
        delivery.retry(email)
        AuditLog.record(me(), "email-retry", email, before=before, after={"status": QUEUED})
    email = Email.get_by_id(email.id)
    return done(
        "admin/_outbox_row.html",
        back,
        gettext("The email to %(to_addr)s will be sent again shortly.", to_addr=email.to_addr),
        target=f"email-{email.id}",
        email=email,
        labels=LABELS,
    )
