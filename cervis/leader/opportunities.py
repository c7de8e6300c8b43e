"""Opportunities and Slots: the leader's list of opportunities; create, edit and cancel one."""

from flask_babel import gettext
from ..translated import lazy_gettext
from collections import defaultdict
from datetime import datetime, time

import peewee
from flask import abort, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import single_line
from .. import emails
from ..auth import leader_required
from ..db import for_update, utcnow, write_transaction
from ..htmx import answered
from ..models import (
    CANCELLED,
    PENDING,
    REGISTERED,
    AuditLog,
    InterestCategory,
    Opportunity,
    OpportunityInterest,
    Registration,
    RegistrationEvent,
    Role,
    Slot,
    User,
)
from ..permissions import groups_led_by, opportunity_for_leader
from ..timeutil import to_local, to_utc
from . import bp

ACTIVE = (PENDING, REGISTERED)
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%I:%M %p", "%I:%M%p", "%I %p"]
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
END_OF_DAY = time(23, 59)
CODE_TAKEN = lazy_gettext("Another opportunity already uses this code. Please choose another.")


def date_field(label, *validators):
    return DateField(
        label,
        validators=list(validators),
        format=DATE_FORMATS,
        invalid_value_message="Please enter a date, like 09/10/2025.",
    )


def time_field(label, *validators):
    return TimeField(
        label,
        validators=list(validators),
        format=TIME_FORMATS,
        invalid_value_message="Please enter a time, like 6:00 PM.",
    )


class OpportunityForm(FlaskForm):
    group = SelectField(
        lazy_gettext("Group"), coerce=int, validators=[DataRequired(lazy_gettext("Please choose a group."))]
    )
    name = StringField(
        lazy_gettext("Opportunity Name"),
        validators=[DataRequired(lazy_gettext("Please enter the opportunity's name.")), Length(max=200), single_line],
    )
    description = TextAreaField(lazy_gettext("Description"), validators=[Length(max=5000)])
    location = TextAreaField(lazy_gettext("Meeting Location"), validators=[Length(max=1000)])
    private_code = StringField(
        lazy_gettext("Private Registration Code (optional)"), validators=[Length(max=64), single_line]
    )
    interests = SelectMultipleField(
        lazy_gettext("Interest Categories"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    live_date = date_field("Date", InputRequired(lazy_gettext("Please enter the date it goes live.")))
    live_time = time_field("Time", Optional())
    deadline_date = date_field("Date", Optional())
    deadline_time = time_field("Time", Optional())
    min_age = IntegerField(
        lazy_gettext("Minimum Age (optional)"),
        validators=[
            Optional(),
            NumberRange(1, 120, lazy_gettext("Please enter an age from 1 to 120, or leave it empty.")),
        ],
        render_kw={"inputmode": "numeric"},
    )

    def live_from(self):
        return to_utc(datetime.combine(self.live_date.data, self.live_time.data or time(0)))

    def offer_deadline(self):
        if self.deadline_date.data is None:
            return None
        # A deadline of "Nov 20" means offers are welcome all that day.
        return to_utc(datetime.combine(self.deadline_date.data, self.deadline_time.data or END_OF_DAY))

    def code(self):
        return (self.private_code.data or "").strip() or None


class CancelForm(FlaskForm):
    message = TextAreaField(lazy_gettext("Message to the volunteers"), validators=[Length(max=5000)])


def _form_for(opportunity=None):
    form = OpportunityForm(obj=None if request.method == "POST" else opportunity)
    form.group.choices = [SelectChoice(g.id, g.name) for g in groups_led_by(current_user)]
    form.interests.choices = [SelectChoice(c.id, c.name) for c in InterestCategory.ordered()]
    if opportunity is not None and request.method != "POST":
        form.group.data = opportunity.group_id
        form.interests.data = [link.category_id for link in opportunity.interest_links]
        live = to_local(opportunity.live_from)
        form.live_date.data, form.live_time.data = live.date(), live.time()
        if opportunity.offer_deadline:
            deadline = to_local(opportunity.offer_deadline)
            form.deadline_date.data, form.deadline_time.data = deadline.date(), deadline.time()
    elif opportunity is None and request.method != "POST":
        form.live_date.data, form.live_time.data = to_local(utcnow()).date(), time(0)
    return form


def _problems(form, opportunity):
    """Rules beyond a single field: errors go beside the field they are about."""
    if form.deadline_time.data and not form.deadline_date.data:
        form.deadline_date.errors.append("Please enter the date as well as the time.")
    elif form.deadline_date.data and form.offer_deadline() <= form.live_from():
        form.deadline_date.errors.append("The offer deadline must be after the date it goes live.")
    code = form.code()
    if (
        code
        and Opportunity.select()
        .where(
            peewee.fn.LOWER(Opportunity.private_code) == code.lower(), Opportunity.id != getattr(opportunity, "id", 0)
        )
        .exists()
    ):
        form.private_code.errors.append(CODE_TAKEN)
    if opportunity is not None and form.group.data != opportunity.group_id and opportunity.slots.exists():
        form.group.errors.append("This opportunity has slots for its group's roles, so its group cannot change.")
    return any(f.errors for f in form)


def snapshot(opportunity):
    """What the audit log keeps of an opportunity."""
    return {
        "group": opportunity.group_id,
        "name": opportunity.name,
        "description": opportunity.description,
        "location": opportunity.location,
        "private_code": opportunity.private_code,
        "live_from": opportunity.live_from,
        "offer_deadline": opportunity.offer_deadline,
        "min_age": opportunity.min_age,
        "cancelled_at": opportunity.cancelled_at,
        "interests": sorted(link.category_id for link in opportunity.interest_links),
    }


def _save(form, opportunity):
    opportunity.group = form.group.data
    opportunity.name = form.name.data.strip()
    opportunity.description = (form.description.data or "").strip()
    opportunity.location = (form.location.data or "").strip()
    opportunity.private_code = form.code()
    opportunity.live_from = form.live_from()
    opportunity.offer_deadline = form.offer_deadline()
    opportunity.min_age = form.min_age.data
    opportunity.save()
    OpportunityInterest.delete().where(OpportunityInterest.opportunity == opportunity).execute()
    OpportunityInterest.insert_many(
        [{"opportunity": opportunity.id, "category": c} for c in form.interests.data or []]
    ).execute()


@bp.route("/opportunities")
@leader_required
def opportunities():
    groups = list(groups_led_by(current_user))
    listed = (
        Opportunity.select()
        .where(Opportunity.group.in_([g.id for g in groups]))
        .order_by(Opportunity.live_from.desc(), Opportunity.id.desc())
    )
    stats = {
        row.opportunity_id: row
        for row in (
            Slot.select(
                Slot.opportunity,
                peewee.fn.COUNT(Slot.id).alias("count"),
                peewee.fn.MIN(Slot.starts_at).alias("first"),
                peewee.fn.MAX(Slot.ends_at).alias("last"),
            )
            .join(Opportunity)
            .where(Opportunity.group.in_([g.id for g in groups]))
            .group_by(Slot.opportunity)
        )
    }
    now, by_group = utcnow(), defaultdict(list)
    show_past = request.args.get("show") == "past"
    for opportunity in listed:
        row = stats.get(opportunity.id)
        ended = opportunity.cancelled_at is not None or (row is not None and _as_datetime(row.last) < now)
        if ended == show_past:
            by_group[opportunity.group_id].append((opportunity, row))
    return render_template(
        "leader/opportunities.html",
        groups=groups,
        by_group=by_group,
        now=now,
        show_past=show_past,
        as_datetime=_as_datetime,
    )


def _as_datetime(value):
    """MIN/MAX of a DateTimeField come back from SQLite as text."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


@bp.route("/opportunities/new", methods=["GET", "POST"])
@leader_required
def opportunity_new():
    form = _form_for()
    if not form.group.choices:
        abort(403)
    opportunity = Opportunity()
    if form.validate_on_submit() and not _problems(form, None) and _store(form, opportunity, "opportunity.create"):
        return answered(
            url_for("leader.slots", opportunity_id=opportunity.id),
            gettext("Opportunity “%(name)s” created. Now add its slots.", name=opportunity.name),
            target="slot-add",
        )
    return _form_page(form, None)


@bp.route("/opportunities/<int:opportunity_id>/edit", methods=["GET", "POST"])
@leader_required
def opportunity_edit(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    if opportunity.cancelled_at is not None:
        return answered(
            url_for("leader.opportunities"),
            gettext("This opportunity was cancelled, so it can no longer be changed."),
            "error",
        )
    form = _form_for(opportunity)
    if form.validate_on_submit() and not _problems(form, opportunity) and _store(form, opportunity, "opportunity.edit"):
        return answered(
            url_for("leader.slots", opportunity_id=opportunity.id),
            gettext("Opportunity “%(name)s” updated.", name=opportunity.name),
        )
    return _form_page(form, opportunity)


def _store(form, opportunity, action):
    """Save with its audit row in one transaction; False if another opportunity took the code meanwhile."""
    try:
        with write_transaction():
            before = snapshot(opportunity) if opportunity.id else None
            _save(form, opportunity)
            AuditLog.record(
                current_user._get_current_object(), action, opportunity, before=before, after=snapshot(opportunity)
            )
    except peewee.IntegrityError:
        form.private_code.errors.append(CODE_TAKEN)
        return False
    return True


def _form_page(form, opportunity):
    status = 400 if form.is_submitted() else 200
    return render_template("leader/opportunity_form.html", form=form, opportunity=opportunity), status


def active_registrations(opportunity, now):
    """Registered and pending registrations of an opportunity's slots not yet started (the ones
    cancelling it calls off), with slot, role and volunteer."""
    return (
        Registration.select(Registration, Slot, Role, User)
        .join(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=(Registration.volunteer == User.id))
        .where(Slot.opportunity == opportunity, Registration.status.in_(ACTIVE), Slot.starts_at > now)
        .order_by(Slot.starts_at, Role.position, Registration.id)
    )


def cancel_opportunity(opportunity, actor, message):
    """Cancel an opportunity: the registrations of its slots still to come end and everyone offered or
    registered for them is told; the nights already under way or served stay as they were."""
    now = utcnow()
    before = snapshot(opportunity)
    registrations = list(active_registrations(opportunity, now))
    letters, addressees = defaultdict(list), {}
    for reg in registrations:
        addressee = reg.volunteer.inbox
        if addressee is not None:
            addressees[addressee.id] = addressee
            who = "" if addressee.id == reg.volunteer_id else reg.volunteer.name
            letters[addressee.id].append(
                {
                    "when": emails.when(reg.slot.starts_at, reg.slot.ends_at),
                    "role": reg.slot.role.name,
                    "status": reg.status,
                    "who": who,
                }
            )
    ids = [reg.id for reg in registrations]
    if ids:
        Registration.update(
            status=CANCELLED, cancelled_by=actor, cancelled_at=now, updated_at=now, cancel_reason=message
        ).where(Registration.id.in_(ids)).execute()
        RegistrationEvent.insert_many(
            [
                {"registration": i, "status": CANCELLED, "at": now, "by": actor.id, "note": "Opportunity cancelled"}
                for i in ids
            ]
        ).execute()
    opportunity.cancelled_at = now
    opportunity.save()
    for addressee_id, lines in letters.items():
        emails.opportunity_cancelled(addressees[addressee_id], opportunity, message, lines)
    AuditLog.record(
        actor,
        "opportunity.cancel",
        opportunity,
        before=before,
        after={**snapshot(opportunity), "message": message, "registrations_cancelled": ids},
    )
    return len(letters)


@bp.route("/opportunities/<int:opportunity_id>/cancel", methods=["GET", "POST"])
@leader_required
def opportunity_cancel(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    if opportunity.cancelled_at is not None:
        return answered(url_for("leader.opportunities"), gettext("This opportunity is already cancelled."), "error")
    form = CancelForm()
    registrations = list(active_registrations(opportunity, utcnow()))
    if form.validate_on_submit():
        message = (form.message.data or "").strip()
        if registrations and not message:
            form.message.errors.append(
                "Please write a message: it goes to every volunteer registered or waiting for this opportunity."
            )
        else:
            return _cancelled(opportunity, message)
    volunteers = sorted({reg.volunteer.name for reg in registrations})
    return render_template(
        "leader/opportunity_cancel.html", form=form, opportunity=opportunity, volunteers=volunteers
    ), 400 if form.is_submitted() else 200


def _cancelled(opportunity, message):
    with write_transaction():
        # Under the write lock: an offer arriving now waits, then finds the opportunity cancelled.
        opportunity = for_update(Opportunity.select().where(Opportunity.id == opportunity.id)).get()
        told = (
            None
            if opportunity.cancelled_at
            else cancel_opportunity(opportunity, current_user._get_current_object(), message)
        )
    if told is None:
        return answered(url_for("leader.opportunities"), gettext("This opportunity is already cancelled."), "error")
    return answered(
        url_for("leader.opportunities"),
        f"Opportunity \u201c{opportunity.name}\u201d cancelled."
        + (f" {told} volunteer{'s' if told != 1 else ''} will be e-mailed." if told else ""),
    )
