"""A volunteer's training and checks, for their leaders: record, edit, remove, check proof sent in.

A leader records training for members of the groups they lead; a criminal-record check (its
level, certificate number and decision) is for administrators alone, and a leader sees only
"Checked until DATE" or "Not checked".
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import date, timedelta

from flask import abort, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from .. import proof_files, training
from ..auth import leader_required
from ..forms import single_line
from ..htmx import answered, done
from ..models import Qualification
from ..permissions import as_id, grant_for_leader, volunteer_for_recorder
from . import bp

EARLIEST, LATEST = date(1950, 1, 1), date(2200, 12, 31)


def _in_range(form, field):
    if field.data and not EARLIEST <= field.data <= LATEST:
        raise ValidationError(gettext("Please enter a date between 1950 and 2200."))


def _not_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(gettext("The date gained is in the future: please record it once it has been gained."))


class GrantForm(FlaskForm):
    qualification = SelectField(lazy_gettext("Qualification"), coerce=lambda v: as_id(v) or 0, validate_choice=False)
    gained_on = DateField(
        lazy_gettext("Date gained (for a check: the certificate's issue date)"),
        validators=[
            DataRequired(lazy_gettext("Please enter the date gained, like 2026-03-31.")),
            _in_range,
            _not_future,
        ],
    )
    expires_on = DateField(lazy_gettext("Expires"), validators=[Optional(), _in_range])
    never = BooleanField(lazy_gettext("Never expires"))
    note = TextAreaField(
        lazy_gettext("Note"),
        validators=[Length(max=1000, message=lazy_gettext("Please keep the note under 1000 characters."))],
    )
    level = SelectField(
        lazy_gettext("Level of check"), choices=[SelectChoice(v, w) for v, w in training.LEVELS], validate_choice=False
    )
    certificate_number = StringField(
        lazy_gettext("Certificate number"),
        validators=[
            Length(max=30, message=lazy_gettext("Please keep the certificate number under 30 characters.")),
            single_line,
        ],
    )
    cleared = RadioField(
        lazy_gettext("Decision"),
        choices=[SelectChoice("yes", "Cleared"), SelectChoice("no", "Not cleared")],
        validate_choice=False,
    )

    def setup(self, grant=None):
        crc = current_user.is_admin  # only administrators may record a criminal-record check
        self.qualification.choices = [
            SelectChoice(q.id, q.name) for q in Qualification.ordered() if crc or not q.criminal_record_check
        ]
        if grant is not None and not self.is_submitted():
            self.never.data = grant.expires_on is None and grant.qualification.valid_months is not None
        return self

    def chosen(self, grant=None):
        """The qualification chosen (fixed when editing), or None with the field's error set."""
        if grant is not None:
            return grant.qualification
        if self.qualification.data not in {c.value for c in self.qualification.choices}:
            self.qualification.errors = ["Please choose a qualification from the list."]
            return None
        return Qualification.get_by_id(self.qualification.data)

    def check(self, qualification):
        """The check's details for a criminal-record check (errors set if missing), else None."""
        if not qualification.criminal_record_check:
            return None
        if self.level.data not in dict(training.LEVELS):
            self.level.errors = ["Please choose the level of the check."]
        if not (self.certificate_number.data or "").strip():
            self.certificate_number.errors = ["Please enter the certificate number."]
        if self.cleared.data not in ("yes", "no"):
            self.cleared.errors = ["Please choose Cleared or Not cleared."]
        return {
            "level": self.level.data,
            "certificate_number": self.certificate_number.data or "",
            "cleared": self.cleared.data == "yes",
        }

    def expiry(self, qualification):
        if self.never.data:
            return None
        return self.expires_on.data or training.default_expiry(qualification, self.gained_on.data)


def _back(volunteer):
    return url_for("leader.member", volunteer_id=volunteer.id) + "#training"


def _save(form, volunteer, grant=None):
    """Record from a submitted form; True when saved, else the fields hold the reasons."""
    valid = form.validate()
    qualification = form.chosen(grant)
    check = form.check(qualification) if qualification else None
    if not valid or qualification is None or any(f.errors for f in form):
        return False
    try:
        training.record(
            current_user._get_current_object(),
            volunteer,
            qualification,
            form.gained_on.data,
            form.expiry(qualification),
            form.note.data or "",
            check,
        )
    except training.TrainingRefused as refused:
        form.expires_on.errors = [str(refused)]
        return False
    return True


@bp.route("/volunteers/<int:volunteer_id>/training", methods=["GET", "POST"])
@leader_required
def training_record(volunteer_id):
    volunteer = volunteer_for_recorder(current_user, volunteer_id)
    form = GrantForm().setup()
    if form.is_submitted() and _save(form, volunteer):
        return answered(_back(volunteer), gettext("The qualification has been recorded."), target="training")
    return render_template(
        "leader/training_grant.html", form=form, volunteer=volunteer, grant=None
    ), 400 if form.is_submitted() else 200


@bp.route("/volunteers/<int:volunteer_id>/training/<int:grant_id>", methods=["GET", "POST"])
@leader_required
def training_edit(volunteer_id, grant_id):
    volunteer, grant = grant_for_leader(current_user, volunteer_id, grant_id)
    form = GrantForm(obj=grant).setup(grant)
    if not form.is_submitted() and grant.qualification.criminal_record_check:
        check = training.checks_of([grant]).get(grant.id)
        if check is not None:
            form.level.data, form.certificate_number.data = check.level, check.certificate_number
            form.cleared.data = "yes" if check.cleared else "no"
    if form.is_submitted() and _save(form, volunteer, grant):
        return answered(
            _back(volunteer), gettext("%(name)s has been saved.", name=grant.qualification.name), target="training"
        )
    return render_template(
        "leader/training_grant.html", form=form, volunteer=volunteer, grant=grant
    ), 400 if form.is_submitted() else 200


@bp.route("/volunteers/<int:volunteer_id>/training/<int:grant_id>/remove", methods=["POST"])
@leader_required
def training_remove(volunteer_id, grant_id):
    volunteer, grant = grant_for_leader(current_user, volunteer_id, grant_id)
    training.remove(current_user._get_current_object(), grant)
    return _section(volunteer, f"{grant.qualification.name} has been removed.")


def _section(volunteer, message, category="success"):
    """The Training and Checks section to htmx, else a redirect to it on the member page."""
    return done(
        "leader/_member_training.html",
        _back(volunteer),
        message,
        category,
        target="training",
        volunteer=volunteer,
        **member_training(volunteer),
    )


def _decide(volunteer_id, grant_id, approve):
    volunteer, grant = grant_for_leader(current_user, volunteer_id, grant_id)
    if not grant.proof_path:
        return _section(volunteer, "That proof has already been checked.", "error")
    training.decide(current_user._get_current_object(), grant, approve)
    word = "approved: the qualification counts from the date given" if approve else "refused and deleted"
    return _section(volunteer, f"The proof of {grant.qualification.name} has been {word}.")


@bp.route("/volunteers/<int:volunteer_id>/training/<int:grant_id>/approve", methods=["POST"])
@leader_required
def training_approve(volunteer_id, grant_id):
    return _decide(volunteer_id, grant_id, True)


@bp.route("/volunteers/<int:volunteer_id>/training/<int:grant_id>/refuse", methods=["POST"])
@leader_required
def training_refuse(volunteer_id, grant_id):
    return _decide(volunteer_id, grant_id, False)


@bp.route("/volunteers/<int:volunteer_id>/training/<int:grant_id>/proof")
@leader_required
def training_proof(volunteer_id, grant_id):
    """The proof, always a download, in a sandbox: a PDF is kept as it came."""
    volunteer, grant = grant_for_leader(current_user, volunteer_id, grant_id)
    path = proof_files.path_of(grant.proof_path) if grant.proof_path else None
    if path is None or not path.exists():
        abort(404)
    kind = grant.proof_path.rpartition(".")[2]
    response = send_file(
        path,
        mimetype=proof_files.CONTENT_TYPES.get(kind, "application/octet-stream"),
        as_attachment=True,
        download_name=f"{grant.qualification.name} proof.{kind}",
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["Cache-Control"] = "no-store"
    return response


def member_training(volunteer):
    """The member page's Training and Checks: what this leader may see of it."""
    today = date.today()
    grants = training.grants_of([volunteer.id])
    admin = current_user.is_admin
    checks = training.checks_of(grants) if admin else {}
    held = {g.qualification_id for g in grants}
    unchecked = [q for q in Qualification.ordered() if q.criminal_record_check and q.id not in held]
    rows = [
        {
            "grant": g,
            "state": training.state_of(g, today),
            "check": checks.get(g.id),
            "words": training.leader_words(g, today) if g.qualification.criminal_record_check else None,
        }
        for g in grants
    ]
    return {
        "training_rows": rows,
        "unchecked": unchecked,
        "state_words": training.STATE_WORDS,
        "own_training": volunteer.id == current_user.id and not admin,
        "soon": today + timedelta(days=training.SOON_DAYS),
    }
