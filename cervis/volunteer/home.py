"""Volunteer Portal Home."""
from flask import render_template
from flask_login import current_user, login_required

from ..db import utcnow
from ..models.rota import volunteer_totals
from ..timeutil import org_zone
from . import bp


@bp.route("/")
@login_required
def home():
    totals = volunteer_totals(current_user.id, utcnow(), org_zone())
    return render_template("volunteer/home.html", totals=totals)
