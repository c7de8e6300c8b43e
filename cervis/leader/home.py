"""Leader home: each of the leader's groups."""
from flask import render_template
from flask_login import current_user

from ..auth import leader_required
from ..permissions import groups_led_by
from . import bp


@bp.route("/")
@leader_required
def home():
    return render_template("leader/home.html", groups=list(groups_led_by(current_user)))
