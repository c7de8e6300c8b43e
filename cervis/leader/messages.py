"""'Send E-mail to Selected' from a group's member list, and to everyone registered on a date of
an opportunity (the rota board links here with templates/leader/_message_date_link.html)."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from .. import messages
from ..auth import leader_required
from ..forms import single_line
from ..permissions import as_id, group_for_leader, opportunity_for_leader
from ..timeutil import parse_day
from . import bp


class MessageForm(FlaskForm):
    subject = StringField(
        lazy_gettext("Subject"),
        validators=[DataRequired(lazy_gettext("Please write a subject.")), Length(max=200), single_line],
    )
    message = TextAreaField(
        lazy_gettext("Message"), validators=[DataRequired(lazy_gettext("Please write the message.")), Length(max=10000)]
    )


def _ticked():
    return {as_id(value) for value in request.form.getlist("volunteer")} - {None}


@bp.route("/groups/<int:group_id>/message", methods=["POST"])
@leader_required
def message_members(group_id):
    """The member list's ticked volunteers: first the message form, then sending it."""
    group = group_for_leader(current_user, group_id)
    people = messages.group_members(group, _ticked())
    back = url_for("leader.members", group_id=group.id)
    if not people:
        flash(gettext("Please tick at least one volunteer, then click “Send E-mail to Selected”."), "error")
        return redirect(back, code=303)
    return _compose(people, group, back, f"Members of {group.name}")


@bp.route("/opportunities/<int:opportunity_id>/dates/<day>/message", methods=["GET", "POST"])
@leader_required
def message_date(opportunity_id, day):
    """Everyone registered on this date, all ticked; only they can be chosen."""
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    day = parse_day(day) or abort(404)
    people = messages.registered_on(opportunity, day)
    back = request.args.get("back") if (request.args.get("back") or "").startswith("/leader/") else None
    back = back or url_for("leader.slots", opportunity_id=opportunity.id)
    if not people:
        flash(gettext("Nobody is registered on that date yet."), "error")
        return redirect(back, code=303)
    return _compose(people, opportunity, back, f"{opportunity.name}, {day:%a}, {day:%b} {day.day}, {day.year}")


def _compose(people, about, back, heading):
    form = MessageForm()
    chosen = _ticked() if request.method == "POST" else {p.id for p in people}
    status = 200
    if request.form.get("action") == "send":
        selected = [p for p in people if p.id in chosen]
        if not selected:
            form.validate()
            form.subject.errors = list(form.subject.errors) + ["Please tick at least one volunteer."]
        elif form.validate():
            return _send(selected, about, form, back)
        status = 400
    return render_template(
        "leader/message.html",
        form=form,
        people=people,
        chosen=chosen,
        back=back,
        heading=heading,
        no_email=[p for p in people if p.inbox is None],
        stopped=messages.stopped(about, people),
    ), status


def _send(selected, about, form, back):
    me = current_user._get_current_object()
    try:
        sent = messages.send(me, selected, form.subject.data.strip(), form.message.data.strip(), about)
    except messages.TooMany:
        form.subject.errors = [
            "You have sent 10 messages in the last hour. Please wait a little, then send again: "
            "nothing you typed is lost."
        ]
        return render_template(
            "leader/message.html",
            form=form,
            people=selected,
            chosen={p.id for p in selected},
            back=back,
            heading="",
            no_email=[],
        ), 429
    flash(
        gettext(
            "Your message is on its way to %(sent)s %(value)s.", sent=sent, value="person" if sent == 1 else "people"
        ),
        "success",
    )
    return redirect(back, code=303)
