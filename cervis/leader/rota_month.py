"""The rota's month as a whole: Complete Rota, and the rota printed or as CSV."""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import timedelta

from flask import make_response, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from peewee import JOIN
from wtforms import BooleanField, HiddenField

from .. import complete_rota
from ..auth import leader_required
from ..db import write_transaction
from ..htmx import done, is_htmx, vary
from ..models import REGISTERED, AuditLog, Profile, Registration, Role, Slot, User
from ..months import month_bounds, month_key
from ..permissions import opportunity_for_leader
from ..spreadsheet import csv_download
from ..timeutil import org_zone, slot_when, to_local
from . import bp, rota_board
from .rota import month_arg, month_context


class CompleteForm(FlaskForm):
    # When the rota was last completed, as the summary showed it: a second press sends nothing.
    seen = HiddenField()
    knowing = BooleanField(lazy_gettext("I know the offers for these short slots will be turned down"))

    def confirms(self, summary):
        """Offers for slots still short are only turned down by a leader who said they know it."""
        if summary.turned_down and not self.knowing.data:
            self.knowing.errors = list(self.knowing.errors) + [
                "Tick this to turn those offers down, or accept them first (or use Suggest Rota)."
            ]
            return False
        return True


NOT_REQUIRED_EMAIL = lazy_gettext('"not required" email')


def _completed_message(result, day):
    if result.already:
        return "This rota was already completed: nothing was sent again."
    return (
        f"Rota completed for {day:%B %Y}: {_count(result.not_required, 'pending offer')} marked "
        f"Not Required ({_count(result.emails, NOT_REQUIRED_EMAIL)}); "
        f"{_count(result.confirmations, 'waiting email')} sent now."
    )


def _count(number, noun):
    return f"{number} {noun}{'' if number == 1 else 's'}"


@bp.route("/opportunities/<int:opportunity_id>/rota/complete", methods=["GET", "POST"])
@leader_required
def rota_complete(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    form = CompleteForm()
    context = month_context(opportunity, day)
    # A ticked box has said it all: the summary (every pending offer of the month) is read only to ask.
    if form.validate_on_submit() and (form.knowing.data or form.confirms(complete_rota.rota_summary(opportunity, day))):
        result = complete_rota.complete_rota(
            opportunity, day, current_user._get_current_object(), seen=form.seen.data or ""
        )
        summary = complete_rota.rota_summary(opportunity, day)
        context["completion"] = summary.completion
        return done(
            "leader/_rota_complete.html",
            url_for("leader.rota", opportunity_id=opportunity.id, month=month_key(day)),
            _completed_message(result, day),
            target="rota-complete",
            summary=summary,
            form=CompleteForm(formdata=None, seen=summary.seen),
            **context,
        )
    summary = complete_rota.rota_summary(opportunity, day)
    form.seen.data = summary.seen
    if is_htmx() and form.is_submitted():  # the summary swaps itself, with the message by the box
        return vary(make_response(render_template("leader/_rota_complete.html", summary=summary, form=form, **context)))
    page = render_template(
        "leader/rota_complete.html",
        summary=summary,
        form=form,
        title=gettext("Complete Rota: %(name)s", name=opportunity.name),
        **context,
    )
    return page, 400 if form.is_submitted() else 200


def _by_week(rows):
    """[(Monday, [rows])]: one printed page per week."""
    zone, weeks = org_zone(), {}
    for reg in rows:
        local = to_local(reg.slot.starts_at, zone).date()
        weeks.setdefault(local - timedelta(days=local.weekday()), []).append(reg)
    return list(weeks.items())


@bp.route("/opportunities/<int:opportunity_id>/rota/print")
@leader_required
def rota_print(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    rows = rota_rows(opportunity, day)
    with write_transaction():
        AuditLog.record(
            current_user._get_current_object(),
            "rota.print",
            opportunity,
            after={"month": month_key(day), "rows": len(rows)},
        )
    return render_template(
        "leader/rota_print.html",
        weeks=_by_week(rows),
        phone_of=rota_board.phone_of,
        title=gettext("Rota: %(name)s, %(day)s", name=opportunity.name, day=format(day, "%B %Y")),
        **month_context(opportunity, day),
    )


@bp.route("/opportunities/<int:opportunity_id>/rota.csv")
@leader_required
def rota_csv(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = month_arg(opportunity)
    rows = rota_rows(opportunity, day)
    zone = org_zone()
    table = []
    for reg in rows:
        slot = reg.slot
        date_text, _, time_text = slot_when(slot.starts_at, slot.ends_at, zone).partition(" - ")
        table.append((date_text, time_text, slot.role.name, reg.volunteer.name, rota_board.phone_of(reg.volunteer)))
    with write_transaction():
        AuditLog.record(
            current_user._get_current_object(),
            "rota.csv",
            opportunity,
            after={"month": month_key(day), "rows": len(rows)},
        )
    return csv_download(f"rota-{opportunity.id}-{month_key(day)}.csv", ["Date", "Time", "Role", "Name", "Phone"], table)


def rota_rows(opportunity, day):
    """Every registered volunteer of the month, with slot, role and phone: print and CSV."""
    start, end = month_bounds(day)
    return list(
        Registration.select(Registration, Slot, Role, User, Profile.id, Profile.mobile)
        .join(Slot)
        .join(Role)
        .switch(Registration)
        .join(User, on=Registration.volunteer)
        .join(Profile, JOIN.LEFT_OUTER, on=(Profile.user == User.id), attr="profile")
        .where(
            Slot.opportunity == opportunity.id,
            Slot.starts_at >= start,
            Slot.starts_at < end,
            Registration.status == REGISTERED,
        )
        .order_by(Slot.starts_at, Role.position, Role.name, User.first_name, User.last_name)
    )
