"""Audit Log: who changed what and when, with the values before and after."""

from flask_babel import gettext
from ..translated import lazy_gettext
import json
from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional, ValidationError

from .. import models
from ..auth import admin_required
from ..models import AuditLog, User
from ..permissions import as_id
from ..timeutil import to_utc
from . import bp
from .paging import Page

NOBODY = -1  # entries CERVIS made itself (the command line, the scheduler)


class AuditFilter(FlaskForm):
    class Meta:
        csrf = False  # a GET search changes nothing

    actor = SelectField(lazy_gettext("Person"), coerce=int, default=0, validate_choice=False)
    action = SelectField(lazy_gettext("Action"), default="", validate_choice=False)
    start = DateField(lazy_gettext("From"), validators=[Optional()])
    end = DateField(lazy_gettext("To"), validators=[Optional()])

    def fill_choices(self):
        actors = (
            User.select()
            .where(User.id.in_(AuditLog.select(AuditLog.actor).distinct()))
            .order_by(User.first_name, User.last_name)
        )
        self.actor.choices = [SelectChoice(0, "Anyone"), SelectChoice(NOBODY, "CERVIS itself (no person)")] + [
            SelectChoice(u.id, f"{u.name} ({u.email})" if u.email else u.name) for u in actors
        ]
        actions = AuditLog.select(AuditLog.action).distinct().order_by(AuditLog.action).tuples()
        self.action.choices = [SelectChoice("", "Any action")] + [SelectChoice(a, a) for (a,) in actions]

    def validate_end(self, field):
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(gettext("The “To” date must not be before the “From” date."))


def filtered(form):
    query = AuditLog.select().order_by(AuditLog.at.desc(), AuditLog.id.desc())
    if form.actor.data == NOBODY:
        query = query.where(AuditLog.actor.is_null())
    elif form.actor.data:
        query = query.where(AuditLog.actor == (as_id(form.actor.data) or 0))  # 0: nobody, for a crafted id
    if form.action.data:
        query = query.where(AuditLog.action == form.action.data)
    if not form.errors:
        # The dates are the organisation's calendar days, the stored times UTC.
        if form.start.data:
            query = query.where(AuditLog.at >= to_utc(datetime.combine(form.start.data, time.min)))
        if form.end.data:
            query = query.where(AuditLog.at < to_utc(datetime.combine(form.end.data + timedelta(days=1), time.min)))
    return query


def _loads(text):
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {"value": text}
    return value if isinstance(value, dict) else {"value": value}


def _shown(value):
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value if isinstance(value, str) else json.dumps(value)


def changes(entry):
    """(field, before, after) as text for every field either side mentions; None where a side does not."""
    before, after = _loads(entry.before), _loads(entry.after)
    return [
        (key, _shown(before[key]) if key in before else None, _shown(after[key]) if key in after else None)
        for key in sorted(set(before) | set(after))
    ]


def labels(entries):
    """A name for each logged object that still exists, found with one query per kind of object."""
    by_type = {}
    for e in entries:
        if e.object_id is not None:
            by_type.setdefault(e.object_type, set()).add(e.object_id)
    found = {}
    kinds = {m.__name__: m for m in models.ALL}
    for type_name, ids in by_type.items():
        model = kinds.get(type_name)
        if model is None:
            continue
        for obj in model.select().where(model.id.in_(list(ids))):
            label = getattr(obj, "name", None) or getattr(obj, "title", None)
            found[(type_name, obj.id)] = label if isinstance(label, str) else ""
    return found


def actors(entries):
    ids = {e.actor_id for e in entries if e.actor_id}
    return {u.id: u for u in User.select().where(User.id.in_(list(ids)))} if ids else {}


@bp.route("/audit")
@admin_required
def audit():
    form = AuditFilter(request.args)
    form.fill_choices()
    form.validate()
    page = Page(filtered(form))
    return render_template(
        "admin/audit.html", form=form, page=page, changes=changes, labels=labels(page.items), people=actors(page.items)
    )
