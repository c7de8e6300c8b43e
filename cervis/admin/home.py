"""Administrator home."""
from flask import render_template

from ..auth import admin_required
from ..menu import ADMIN, _existing
from ..models import Email, Group, User
from ..models.mail import FAILED, QUEUED
from . import bp


@bp.route("/")
@admin_required
def home():
    counts = {
        "volunteers": User.select().where(User.active == True).count(),  # noqa: E712
        "groups": Group.select().count(),
        "queued": Email.select().where(Email.status == QUEUED).count(),
        "failed": Email.select().where(Email.status == FAILED).count(),
    }
    return render_template("admin/home.html", counts=counts, sections=_existing(ADMIN))
