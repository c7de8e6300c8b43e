"""Record or Update Service Project Activity: service a volunteer gave outside the rota."""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import date
from decimal import Decimal, InvalidOperation

from flask import abort, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from peewee import JOIN
from wtforms import DateField, DecimalField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..db import write_transaction
from ..htmx import done, is_htmx, vary
from ..models import Group, ServiceRecord
from ..timeutil import org_zone, to_local, utcnow
from . import bp

TITLE = lazy_gettext("Record or Update Service Project Activity")


class QuarterHours(DecimalField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Please enter the hours as a number, for example 2.5.") from None


class ServiceForm(FlaskForm):
    day = DateField(
        lazy_gettext("Date"),
        validators=[InputRequired(lazy_gettext("Please enter the date you served."))],
        invalid_value_message=lazy_gettext("Please enter a real date, like 2025-10-09."),
    )
    group = SelectField(lazy_gettext("Group"), coerce=int, validate_choice=False)
    hours = QuarterHours(
        lazy_gettext("Hours"),
        places=2,
        validators=[InputRequired(lazy_gettext("Please enter the hours you served."))],
        render_kw={"step": "0.25", "min": "0.25", "max": "24", "inputmode": "decimal"},
    )
    description = TextAreaField(
        lazy_gettext("What did you do?"),
        validators=[
            DataRequired(lazy_gettext("Please say briefly what you did.")),
            Length(max=1000, message=lazy_gettext("Please keep this under 1,000 characters.")),
        ],
    )

    def validate_day(self, field):
        if field.data is None:
            return  # not a date at all: that message is already beside the field
        today = to_local(utcnow(), org_zone()).date()
        if field.data > today:
            raise ValidationError(gettext("The date cannot be in the future: record service once you have given it."))
        if field.data < date(2000, 1, 1):
            raise ValidationError(gettext("Please check the year."))

    def validate_group(self, field):
        if field.data not in {value for value, _ in field.choices}:
            raise ValidationError(gettext("Please choose one of your groups."))

    def validate_hours(self, field):
        if field.data is None:
            return  # not a number at all: that message is already beside the field
        try:
            quarters = field.data * 4
            whole = field.data.is_finite() and quarters == quarters.to_integral_value()
        except InvalidOperation:
            whole = False
        if not whole:
            raise ValidationError(gettext("Please enter the hours in quarter hours, for example 1.25, 1.5 or 1.75."))
        if not Decimal("0.25") <= field.data <= 24:
            raise ValidationError(gettext("Please enter between 0.25 and 24 hours."))


def _form(user, record=None):
    form = ServiceForm(obj=None)
    groups = list(user.groups())
    if record is not None and record.group_id and record.group_id not in {g.id for g in groups}:
        groups.append(record.group)  # a group left since: editing the old record still works
    form.group.choices = [(g.id, g.name) for g in groups]
    if record is not None and request.method == "GET":
        form.day.data, form.group.data = record.day, record.group_id
        form.hours.data = Decimal(record.minutes) / 60
        form.description.data = record.description
    return form


def _records(user):
    return list(
        ServiceRecord.select(ServiceRecord, Group)
        .join(Group, join_type=JOIN.LEFT_OUTER)
        .where(ServiceRecord.volunteer == user)
        .order_by(ServiceRecord.day.desc(), ServiceRecord.id.desc())
    )


def _record_for(user, record_id):
    """The volunteer's own record; anyone else's id is a 404, never a hint that it exists."""
    record = ServiceRecord.get_or_none(ServiceRecord.id == record_id, ServiceRecord.volunteer == user)
    if record is None:
        abort(404)
    return record


def _render(user, form, record=None, status=200):
    context = dict(form=form, record=record, records=_records(user), title=TITLE)
    if is_htmx():
        # htmx swaps only 2xx answers: the fields' own messages say what to fix.
        return vary(make_response(render_template("volunteer/_service.html", **context)))
    return render_template("volunteer/service.html", **context), status


def _saved(user, message):
    response = done(
        "volunteer/_service.html",
        url_for("volunteer.service"),
        message,
        target="service-form",
        form=_form(user),
        record=None,
        records=_records(user),
    )
    if is_htmx():
        response.headers["HX-Push-Url"] = url_for("volunteer.service")
    return response


def _fill(record, form):
    record.day, record.group = form.day.data, form.group.data
    record.minutes = int(form.hours.data * 60)
    record.description = form.description.data.strip()


@bp.route("/service", methods=["GET", "POST"])
@login_required
def service():
    user = current_user._get_current_object()
    form = _form(user)
    if form.validate_on_submit():
        with write_transaction():
            record = ServiceRecord(volunteer=user)
            _fill(record, form)
            record.save()
        return _saved(user, "Your service project activity has been recorded.")
    return _render(user, form, status=400 if form.is_submitted() else 200)


@bp.route("/service/<int:record_id>", methods=["GET", "POST"])
@login_required
def service_edit(record_id):
    user = current_user._get_current_object()
    record = _record_for(user, record_id)
    form = _form(user, record)
    if form.validate_on_submit():
        with write_transaction():
            _fill(record, form)
            record.save()
        return _saved(user, "Your service project activity has been updated.")
    return _render(user, form, record, status=400 if form.is_submitted() else 200)


@bp.route("/service/<int:record_id>/delete", methods=["POST"])
@login_required
def service_delete(record_id):
    user = current_user._get_current_object()
    record = _record_for(user, record_id)
    with write_transaction():
        record.delete_instance()
    return done(
        "volunteer/_service_deleted.html",
        url_for("volunteer.service"),
        gettext("Your service project activity has been deleted."),
        target="service-records",
        records=_records(user),
    )
