"""Administrator home."""

from flask import render_template

from .. import backups, privacy
from ..auth import admin_required
from ..db import is_sqlite, utcnow
from ..menu import ADMIN, _existing
from ..models import Email, Group, User
from ..models.mail import FAILED, QUEUED
from . import bp


@bp.route("/")
@admin_required
def home():
    counts = {
        "volunteers": User.select().where(User.active == True).count(),
        "groups": Group.select().count(),
        "queued": Email.select().where(Email.status == QUEUED).count(),
        "failed": Email.select().where(Email.status == FAILED).count(),
    }
    last_backup = backups.latest() if is_sqlite() else None
    return render_template(
        "admin/home.html",
        counts=counts,
        sections=_existing(ADMIN),
        on_sqlite=is_sqlite(),
        last_backup=last_backup,
        erasure_requests=privacy.open_requests().count(),
        backup_overdue=backups.is_overdue(utcnow(), last_backup),
    )
