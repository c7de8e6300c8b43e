"""Leader home: each of the leader's groups."""
from flask import render_template
from flask_login import current_user

from ..auth import leader_required
from ..models import Group
from . import bp


def groups_for(user):
    """The groups this user leads; an administrator leads them all."""
    return Group.select().order_by(Group.name) if user.is_admin else user.led_groups()


@bp.route("/")
@leader_required
def home():
    return render_template("leader/home.html", groups=list(groups_for(current_user)))
