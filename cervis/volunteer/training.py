"""My Training and Checks (on the profile), and sending in proof of a training qualification."""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import date

from flask import render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from .. import proof_files, training
from ..htmx import answered
from ..models import Qualification
from ..permissions import as_id
from . import bp


class ProofForm(FlaskForm):
    qualification = SelectField(lazy_gettext("Qualification"), coerce=lambda v: as_id(v) or 0, validate_choice=False)
    gained_on = DateField(
        lazy_gettext("Date gained"),
        validators=[DataRequired(lazy_gettext("Please enter the date on the certificate, like 2026-03-31."))],
    )
    proof = FileField(
        lazy_gettext(
            "Certificate (PDF, PNG or JPEG, at most %(value)s MB)", value=proof_files.MAX_BYTES // (1024 * 1024)
        ),
        render_kw={"accept": proof_files.ACCEPTED},
    )

    def setup(self):
        # Never a criminal-record check: its certificate is seen by the administrators, not kept here.
        self.qualification.choices = [
            SelectChoice(q.id, q.name) for q in Qualification.ordered() if not q.criminal_record_check
        ]
        return self


def my_training(user):
    """The volunteer's own qualifications with their states and, for a check, its details."""
    today = date.today()
    grants = training.grants_of([user.id])
    checks = training.checks_of(grants)
    return {
        "my_training": [{"grant": g, "state": training.state_of(g, today), "check": checks.get(g.id)} for g in grants],
        "state_words": training.STATE_WORDS,
        "can_send_proof": Qualification.select().where(Qualification.criminal_record_check == False).exists(),
    }


@bp.route("/training/proof", methods=["GET", "POST"])
@login_required
def training_proof_send():
    form = ProofForm().setup()
    if form.validate_on_submit() and _send(form):
        return answered(
            url_for("volunteer.profile") + "#my-training",
            gettext("Thank you: your proof is waiting to be checked by a group leader."),
            target="my-training",
        )
    return render_template("volunteer/training_proof.html", form=form), 400 if form.is_submitted() else 200


def _send(form):
    upload = form.proof.data
    try:
        return _checked_send(form, upload)
    finally:
        if upload and hasattr(upload, "close"):
            upload.close()  # a large upload is a temporary file: closed now, not whenever


def _checked_send(form, upload):
    if form.qualification.data not in {c.value for c in form.qualification.choices}:
        form.qualification.errors = ["Please choose a qualification from the list."]
        return False
    if not upload or not getattr(upload, "filename", ""):
        form.proof.errors = ["Please choose the file of your certificate."]
        return False
    try:
        training.send_proof(
            current_user._get_current_object(),
            Qualification.get_by_id(form.qualification.data),
            form.gained_on.data,
            upload.read(proof_files.MAX_BYTES + 1),
        )
    except proof_files.ProofProblem as problem:
        form.proof.errors = [str(problem)]
        return False
    except training.TrainingRefused as refused:
        form.gained_on.errors = [str(refused)]
        return False
    return True
