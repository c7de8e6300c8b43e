"""Data Protection: erasure requests, volunteers past the retention time, and erasing one."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms.validators import DataRequired

from .. import erasure, privacy, vetting
from ..auth import admin_required
from ..models import Organisation, Registration
from ..permissions import person_or_404
from . import bp
from .paging import me


class EraseForm(FlaskForm):
    understood = BooleanField(
        lazy_gettext("I understand that this cannot be undone."),
        validators=[DataRequired(lazy_gettext("Please tick to confirm: an erasure cannot be undone."))],
    )


@bp.route("/data-protection")
@admin_required
def data_protection():
    org = Organisation.current()
    return render_template(
        "admin/data_protection.html",
        org=org,
        requests=list(privacy.open_requests()),
        due=privacy.due_for_erasure(org=org),
        applications=list(vetting.to_erase()),
    )


@bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@admin_required
def person_erase(person_id):
    person = person_or_404(person_id)
    refusal = erasure.refusal(me(), person)
    form = EraseForm()
    if refusal is None and form.validate_on_submit():
        kept = erasure.erase(me(), person)
        flash(
            gettext(
                "%(name)s has been erased. %(registrations_kept)s registrations stay on the rota under the name “%(ERASED_NAME)s”; %(future_offers_withdrawn)s future offers were withdrawn.",
                name=person.name,
                registrations_kept=kept["registrations_kept"],
                ERASED_NAME=erasure.ERASED_NAME,
                future_offers_withdrawn=kept["future_offers_withdrawn"],
            ),
            "success",
        )
        return redirect(url_for("admin.data_protection"), code=303)
    household = person.household()
    status = 400 if (form.is_submitted() or (refusal and request.method == "POST")) else 200
    return render_template(
        "admin/erase.html",
        person=person,
        form=form,
        refusal=refusal,
        family=household[1:],
        registrations=Registration.select().where(Registration.volunteer.in_([p.id for p in household])).count(),
    ), status
