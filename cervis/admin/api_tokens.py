"""API Tokens: a key for each of the charity's other systems (a CRM, a spreadsheet), with what it may
read or change and when it stops working; shown once, kept only as its digest, revocable."""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import datetime, timedelta

from flask import render_template, url_for
from flask_wtf import FlaskForm
from wtforms import DateField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth import admin_required
from ..db import utcnow, write_transaction
from ..forms import EmptyForm, single_line
from ..htmx import answered
from ..models import ApiToken, AuditLog
from ..models.api import SCOPES
from ..permissions import as_id
from ..profile_forms import MultiCheckboxField, today
from ..timeutil import to_utc
from . import bp
from .paging import me

LONGEST = timedelta(days=730)


class TokenForm(FlaskForm):
    name = StringField(
        lazy_gettext("Integration name"),
        validators=[
            DataRequired(lazy_gettext("Please name the system this token is for.")),
            Length(max=100),
            single_line,
        ],
    )
    scopes = MultiCheckboxField(
        lazy_gettext("It may"), coerce=str, choices=[SelectChoice(k, v) for k, v in SCOPES.items()]
    )
    expires_on = DateField(
        lazy_gettext("Stops working on"),
        validators=[DataRequired(lazy_gettext("Please enter a date, like 2027-03-31."))],
    )

    def validate_scopes(self, field):
        if not field.data:
            raise ValidationError(gettext("Please choose at least one thing this token may do."))

    def validate_expires_on(self, field):
        if not today() < field.data <= today() + LONGEST:
            raise ValidationError(gettext("Please choose a date after today and within two years."))


def _page(form, token=None, status=200):
    tokens = ApiToken.select().order_by(ApiToken.revoked_at.is_null(False), ApiToken.created_at.desc())
    return render_template(
        "admin/api_tokens.html", form=form, tokens=list(tokens), token=token, now=utcnow(), scopes=SCOPES
    ), status


@bp.route("/api-tokens", methods=["GET", "POST"])
@admin_required
def api_tokens():
    form = TokenForm(expires_on=today() + timedelta(days=90))
    if not form.validate_on_submit():
        return _page(form, status=400 if form.is_submitted() else 200)
    # The last moment of the chosen day, in the organisation's zone.
    ends = to_utc(datetime.combine(form.expires_on.data + timedelta(days=1), datetime.min.time()))
    with write_transaction():
        row, token = ApiToken.issue(form.name.data.strip(), form.scopes.data, ends, me())
        AuditLog.record(
            me(), "api-token.create", row, after={"name": row.name, "scopes": row.scopes, "expires_at": ends}
        )
    # Shown in this answer alone: never stored, never in a redirect or a flash kept in the session.
    return _page(TokenForm(formdata=None, expires_on=today() + timedelta(days=90)), token=(row, token), status=201)


@bp.route("/api-tokens/<int:token_id>/revoke", methods=["POST"])
@admin_required
def api_token_revoke(token_id):
    row = ApiToken.get_or_none(ApiToken.id == as_id(token_id))
    if row is None or not EmptyForm().validate_on_submit():
        return answered(
            url_for("admin.api_tokens"), gettext("That token could not be revoked. Please try again."), "error"
        )
    if row.revoked_at is None:
        with write_transaction():
            row.revoked_at = utcnow()
            row.save()
            AuditLog.record(me(), "api-token.revoke", row, after={"name": row.name})
    return answered(
        url_for("admin.api_tokens"),
        gettext("The token for %(name)s has been revoked: it no longer works.", name=row.name),
    )
