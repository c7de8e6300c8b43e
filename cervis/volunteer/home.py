"""Volunteer Portal Home."""

from flask import render_template
from flask_login import current_user, login_required

from .. import attendance
from ..db import utcnow
from ..models.attendance import volunteer_totals
from ..timeutil import org_zone
from . import bp


@bp.route("/")
@login_required
def home():
    now = utcnow()
    totals = volunteer_totals(current_user.id, now, org_zone())
    led = attendance.with_links(attendance.led_nights(current_user, now))  # nights they led: "Who came?"
    groups = [g.name for g in current_user.groups()]  # a new volunteer sees the approval took them in
    return render_template("volunteer/home.html", totals=totals, attendance_waiting=led, groups=groups)
