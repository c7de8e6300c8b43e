"""Opportunities and Slots: one opportunity's slots; add them one at a time or many at once, or
copy a month to the next. (Changing, closing, reopening or deleting one slot: slot_changes.py.)"""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import date

import peewee
from flask import make_response, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, RadioField, SelectField, SelectMultipleField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .. import announcements, slot_builder
from ..auth import leader_required
from ..db import utcnow, write_transaction
from ..htmx import answered, is_htmx, vary
from ..models import PENDING, REGISTERED, AuditLog, Registration, Role, Slot
from ..permissions import opportunity_for_leader
from ..timeutil import org_zone, slot_when, to_local
from . import bp
from .opportunities import date_field, time_field

MAX_CAPACITY = 99
CAPACITY_RANGE = f"Please enter a whole number from 1 to {MAX_CAPACITY}."


def _end_differs(form, field):
    if field.data is not None and field.data == form.start.data:
        raise ValidationError(gettext("The end time must be different from the start time."))


class SlotForm(FlaskForm):
    day = date_field("Date", InputRequired(lazy_gettext("Please enter the date.")))
    start = time_field("Start Time", InputRequired(lazy_gettext("Please enter the start time.")))
    end = time_field("End Time", InputRequired(lazy_gettext("Please enter the end time.")), _end_differs)
    role = SelectField(lazy_gettext("Role"), coerce=int)
    capacity = IntegerField(
        lazy_gettext("Capacity (optional)"),
        render_kw={"inputmode": "numeric"},
        validators=[Optional(), NumberRange(1, MAX_CAPACITY, CAPACITY_RANGE)],
    )


class BulkSlotsForm(FlaskForm):
    mode = RadioField(
        lazy_gettext("Which dates"),
        default="weekdays",
        choices=[
            SelectChoice("weekdays", "Every chosen weekday between two dates"),
            SelectChoice("dates", "The dates I list"),
        ],
    )
    first = date_field("From", Optional())
    last = date_field("To", Optional())
    weekdays = SelectMultipleField(
        lazy_gettext("Weekdays"),
        coerce=int,
        choices=[SelectChoice(i, name) for i, name in enumerate(slot_builder.WEEKDAYS)],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    dates = TextAreaField(lazy_gettext("Dates"), validators=[Length(max=20000)])
    start = time_field("Start Time", InputRequired(lazy_gettext("Please enter the start time.")))
    end = time_field("End Time", InputRequired(lazy_gettext("Please enter the end time.")), _end_differs)


def bulk_form(roles):
    """The bulk form with one capacity field per role of the group, the role's usual number first."""

    class Form(BulkSlotsForm):
        pass

    for role in roles:
        setattr(
            Form,
            f"capacity_{role.id}",
            IntegerField(
                role.name,
                default=role.default_capacity,
                validators=[
                    InputRequired(gettext("Please enter a number (0 for none).")),
                    NumberRange(
                        0,
                        MAX_CAPACITY,
                        gettext("Please enter a whole number from 0 to %(MAX_CAPACITY)s.", MAX_CAPACITY=MAX_CAPACITY),
                    ),
                ],
                render_kw={"inputmode": "numeric"},
            ),
        )
    return Form()


def chosen_days(form):
    """The days the bulk form asks for; errors go beside the fields they are about."""
    if form.mode.data == "dates":
        days, bad = slot_builder.parse_dates(form.dates.data)
        if bad:
            form.dates.errors.append(f"These are not dates: {', '.join(bad[:5])}. Please write dates like 09/10/2025.")
        elif not days:
            form.dates.errors.append("Please list at least one date.")
        elif len(days) > slot_builder.MAX_DAYS:
            form.dates.errors.append(f"Please list at most {slot_builder.MAX_DAYS} dates at a time.")
        return days
    first, last = form.first.data, form.last.data
    for field, words in ((form.first, "first"), (form.last, "last")):
        if field.data is None and not field.errors:
            field.errors.append(f"Please enter the {words} date.")
    if not form.weekdays.data:
        form.weekdays.errors.append("Please choose at least one weekday.")
    if first and last and last < first:
        form.last.errors.append("The last date must not be before the first date.")
    elif first and last and (last - first).days >= slot_builder.MAX_DAYS:
        form.last.errors.append(f"Please choose at most {slot_builder.MAX_DAYS} days at a time.")
    if form.first.errors or form.last.errors or form.weekdays.errors:
        return []
    return slot_builder.weekdays_between(first, last, form.weekdays.data)


def roles_of(opportunity):
    return list(Role.select().where(Role.group == opportunity.group_id).order_by(Role.position, Role.name))


def slot_snapshot(slot):
    """What the audit log keeps of a slot."""
    return {
        "opportunity": slot.opportunity_id,
        "role": slot.role_id,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "capacity": slot.capacity,
        "closed": slot.closed,
    }


def slot_rows(opportunity_id=None, slot_id=None):
    """Slots with their role, counts of registered, pending and all offers, and whether they have
    started (then they keep their capacity and cannot be deleted), by date."""

    def count(status):
        return peewee.fn.COALESCE(peewee.fn.SUM(peewee.Case(None, [(Registration.status == status, 1)], 0)), 0)

    started = peewee.Case(None, [(Slot.starts_at <= utcnow(), 1)], 0)
    query = (
        Slot.select(
            Slot,
            Role,
            count(REGISTERED).alias("registered"),
            count(PENDING).alias("pending"),
            peewee.fn.COUNT(Registration.id).alias("offers"),
            started.alias("started"),
        )
        .join(Role)
        .switch(Slot)
        .join(Registration, peewee.JOIN.LEFT_OUTER)
        .group_by(Slot.id, Role.id)
        .order_by(Slot.starts_at, Role.position, Role.name)
    )
    if slot_id is not None:
        return query.where(Slot.id == slot_id).first()
    return list(query.where(Slot.opportunity == opportunity_id))


def label(slot):
    return f"{slot_when(slot.starts_at, slot.ends_at)} {slot.role.name}"


def existing_keys(opportunity, planned):
    if not planned:
        return set()
    starts = [p.starts_at for p in planned]
    query = Slot.select(Slot.role, Slot.starts_at).where(
        Slot.opportunity == opportunity, Slot.starts_at.between(min(starts), max(starts))
    )
    return set(query.tuples())


def preview_rows(opportunity, planned, roles):
    names = {role.id: role.name for role in roles}
    have = existing_keys(opportunity, planned)
    return [
        {
            "label": f"{slot_when(p.starts_at, p.ends_at)} {names[p.role_id]}",
            "capacity": p.capacity,
            "exists": p.key in have,
        }
        for p in planned
    ]


def create_slots(opportunity, planned, actor):
    """Make the planned slots that do not exist yet, all in one transaction; None if another leader raced us."""
    try:
        with write_transaction():
            have = existing_keys(opportunity, planned)
            made = []
            for p in planned:
                if p.key in have:
                    continue
                slot = Slot.create(
                    opportunity=opportunity,
                    role=p.role_id,
                    starts_at=p.starts_at,
                    ends_at=p.ends_at,
                    capacity=p.capacity,
                )
                AuditLog.record(actor, "slot.create", slot, after=slot_snapshot(slot))
                made.append(slot)
            return made
    except peewee.IntegrityError:
        return None


def me():
    return current_user._get_current_object()


def slots_url(opportunity_id):
    return url_for("leader.slots", opportunity_id=opportunity_id)


def _refuse_cancelled(opportunity):
    if opportunity.cancelled_at is None:
        return None
    return answered(
        slots_url(opportunity.id), gettext("This opportunity was cancelled, so no slots can be added to it."), "error"
    )


def _created(opportunity, made):
    """After "Create N Slots": back to the slot list, by a full page load for htmx too."""
    if made is None:
        message, category = (
            "Another leader added slots at the same moment. Please check the list and try again.",
            "error",
        )
    elif made:
        message, category = f"{len(made)} slot{'s' if len(made) != 1 else ''} created.", "success"
    else:
        message, category = "No new slots: they all exist already.", "success"
    return answered(slots_url(opportunity.id), message, category, target="slot-list")


@bp.route("/opportunities/<int:opportunity_id>/slots", methods=["GET", "POST"])
@leader_required
def slots(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    roles = roles_of(opportunity)
    form = SlotForm()
    form.role.choices = [SelectChoice(role.id, role.name) for role in roles]
    if request.method == "POST":
        if refused := _refuse_cancelled(opportunity):
            return refused
        if form.validate():
            return _add_one(opportunity, form, {role.id: role for role in roles})
    return render_template(
        "leader/slots.html",
        opportunity=opportunity,
        slots=slot_rows(opportunity.id),
        form=form,
        roles=roles,
        announced=announcements.history(opportunity),
        going_live=opportunity.live_from > utcnow(),
    ), 400 if request.method == "POST" else 200


def _add_one(opportunity, form, roles):
    role = roles[form.role.data]
    patterns = slot_builder.patterns_for(
        [form.day.data], form.start.data, form.end.data, [(role.id, form.capacity.data or role.default_capacity)]
    )
    planned = slot_builder.to_planned(patterns, org_zone())
    made = create_slots(opportunity, planned, me())
    when = f"{slot_when(planned[0].starts_at, planned[0].ends_at)} {role.name}"
    if made:
        return answered(slots_url(opportunity.id), gettext("Slot added: %(when)s.", when=when), target="slot-add")
    return answered(
        slots_url(opportunity.id), gettext("That slot already exists: %(when)s.", when=when), "error", target="slot-add"
    )


@bp.route("/opportunities/<int:opportunity_id>/slots/bulk", methods=["GET", "POST"])
@leader_required
def slots_bulk(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    if refused := _refuse_cancelled(opportunity):
        return refused
    roles = roles_of(opportunity)
    form = bulk_form(roles)
    rows, roles_error, status = None, None, 200
    if request.method == "POST":
        valid = form.validate()
        days = chosen_days(form)
        capacities = [(role.id, form[f"capacity_{role.id}"].data or 0) for role in roles]
        if valid and not any(c for _, c in capacities):
            roles_error = "Please give at least one role a capacity of 1 or more."
        if valid and days and not roles_error and not any(f.errors for f in form):
            planned = slot_builder.to_planned(
                slot_builder.patterns_for(days, form.start.data, form.end.data, capacities),
                org_zone(),
                role_order=[role.id for role in roles],
            )
            if request.form.get("action") == "create":
                return _created(opportunity, create_slots(opportunity, planned, me()))
            rows = preview_rows(opportunity, planned, roles)
        else:
            status = 422 if is_htmx() else 400
    template = "leader/_slot_bulk_form.html" if is_htmx() else "leader/slot_bulk.html"
    return vary(
        make_response(
            render_template(
                template, opportunity=opportunity, form=form, roles=roles, rows=rows, roles_error=roles_error
            ),
            status,
        )
    )


def _pattern_of(slot, zone):
    starts, ends = to_local(slot.starts_at, zone), to_local(slot.ends_at, zone)
    return slot_builder.Pattern(
        starts.date(), starts.time().replace(tzinfo=None), ends.time().replace(tzinfo=None), slot.role_id, slot.capacity
    )


def _month_choice(text, months):
    """The month asked for ('2025-11') if it has slots, else the latest month that does."""
    for year, month in months:
        if text == f"{year:04d}-{month:02d}":
            return year, month
    return months[-1]


@bp.route("/opportunities/<int:opportunity_id>/slots/copy", methods=["GET", "POST"])
@leader_required
def slots_copy(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    if refused := _refuse_cancelled(opportunity):
        return refused
    zone, roles = org_zone(), roles_of(opportunity)
    patterns = [_pattern_of(slot, zone) for slot in opportunity.slots]
    months = sorted({(p.day.year, p.day.month) for p in patterns})
    if not months:
        return answered(slots_url(opportunity.id), gettext("This opportunity has no slots to copy yet."), "error")
    year, month = _month_choice(request.values.get("month"), months)
    planned = slot_builder.to_planned(
        slot_builder.copy_month(patterns, year, month), zone, role_order=[role.id for role in roles]
    )
    if request.method == "POST":
        return _created(opportunity, create_slots(opportunity, planned, me()))
    return render_template(
        "leader/slot_copy.html",
        opportunity=opportunity,
        rows=preview_rows(opportunity, planned, roles),
        months=[(f"{y:04d}-{m:02d}", f"{date(y, m, 1):%B %Y}") for y, m in months],
        chosen=f"{year:04d}-{month:02d}",
        source=f"{date(year, month, 1):%B %Y}",
        target=f"{date(*slot_builder.next_month(year, month), 1):%B %Y}",
    )
