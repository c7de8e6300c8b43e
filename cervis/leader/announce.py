"""The opportunity's announcements: when each month was announced and to how many, and
"Announce Now" by hand (asks to confirm; never twice within an hour)."""

from flask_babel import gettext
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import announcements
from ..auth import leader_required
from ..db import utcnow
from ..months import month_name
from ..permissions import opportunity_for_leader
from ..timeutil import local_datetime, org_zone
from . import bp


@bp.route("/opportunities/<int:opportunity_id>/announce", methods=["GET", "POST"])
@leader_required
def announce_now(opportunity_id):
    opportunity = opportunity_for_leader(current_user, opportunity_id)
    back = url_for("leader.slots", opportunity_id=opportunity.id, _anchor="announced")
    now = utcnow()
    if not opportunity.is_live(now):
        flash(
            gettext(
                "Volunteers cannot see this opportunity yet, so it cannot be announced: it is announced by itself when it goes live (%(local_datetime)s).",
                local_datetime=local_datetime(opportunity.live_from),
            ),
            "error",
        )
        return redirect(back, code=303)
    months = announcements.open_months(opportunity, now, org_zone())
    if not months:
        flash(gettext("There are no open slots to announce."), "error")
        return redirect(back, code=303)
    month = request.values.get("month")
    month = month if month in months else next(iter(months))
    if request.method == "POST":
        return _announce(opportunity, month, back)
    people = len(announcements.audience(opportunity))
    return render_template(
        "leader/announce.html",
        opportunity=opportunity,
        month=month,
        months=[(key, month_name(key), len(slots)) for key, slots in months.items()],
        roles=announcements.roles(months[month]),
        slots=len(months[month]),
        people=people,
        back=back,
    )


def _announce(opportunity, month, back):
    try:
        row = announcements.announce_by_hand(opportunity, month, current_user._get_current_object())
    except announcements.TooSoon as refused:
        flash(
            gettext(
                "%(month_name)s was announced at %(local_datetime)s: an opportunity is announced at most once an hour. Please try again later.",
                month_name=month_name(month),
                local_datetime=local_datetime(refused.last.at),
            ),
            "error",
        )
        return redirect(back, code=303)
    if row is None:
        flash(gettext("There are no open slots to announce."), "error")
    else:
        flash(
            gettext(
                "%(month_name)s announced to %(recipients)s %(value)s.",
                month_name=month_name(month),
                recipients=row.recipients,
                value="person" if row.recipients == 1 else "people",
            ),
            "success",
        )
    return redirect(back, code=303)
