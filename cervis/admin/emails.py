"""Emails: every kind CERVIS sends, previewed with sample data, and its opening paragraph, which
an administrator may rewrite (kept with who changed it and when; the audit log has the history)."""

from flask_babel import gettext
from ..translated import lazy_gettext
from ..email_kind_names import KIND_NAMES
from flask import abort, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

from .. import email_previews
from ..auth import admin_required
from ..db import utcnow, write_transaction
from ..email_openings import DEFAULTS
from ..models import AuditLog, EmailOpening
from . import bp
from .paging import me


class OpeningForm(FlaskForm):
    text = TextAreaField(
        lazy_gettext("Opening paragraph"),
        validators=[Length(max=2000, message=lazy_gettext("Please keep it under 2,000 characters."))],
    )


def kind_or_404(kind):
    if kind not in email_previews.kinds():
        abort(404)
    return kind


@bp.route("/emails")
@admin_required
def emails():
    openings = {row.kind: row for row in EmailOpening.select()}
    return render_template("admin/emails.html", kinds=email_previews.kinds(), openings=openings, names=KIND_NAMES)


@bp.route("/emails/<email_kind>", methods=["GET", "POST"])
@admin_required
def email_kind(email_kind):
    kind = kind_or_404(email_kind)
    row = EmailOpening.get_or_none(EmailOpening.kind == kind)
    form = OpeningForm()
    if request.method == "GET":
        form.text.data = row.text if row else str(DEFAULTS.get(kind, ""))
    elif form.validate():
        _save(kind, row, (form.text.data or "").strip())
        return redirect(url_for("admin.email_kind", email_kind=kind), code=303)
    return render_template(
        "admin/email_kind.html", kind=kind, row=row, form=form, preview=email_previews.preview(kind), names=KIND_NAMES
    ), 400 if request.method == "POST" else 200


def _save(kind, row, text):
    """Our wording again when the text is ours (or empty and ours is empty); the admin's otherwise."""
    before = row.text if row else str(DEFAULTS.get(kind, ""))
    with write_transaction():
        if text == str(DEFAULTS.get(kind, "")):
            EmailOpening.delete().where(EmailOpening.kind == kind).execute()
        else:
            EmailOpening.insert(kind=kind, text=text, changed_by=me(), changed_at=utcnow()).on_conflict(
                conflict_target=[EmailOpening.kind],
                update={EmailOpening.text: text, EmailOpening.changed_by: me(), EmailOpening.changed_at: utcnow()},
            ).execute()
        AuditLog.record(
            me(), "email.opening", None, before={"kind": kind, "text": before}, after={"kind": kind, "text": text}
        )
    flash(gettext("Opening paragraph saved.") if text != before else gettext("Nothing was changed."), "success")
