"""The referee's page: a signed link from their e-mail, no account. It names the applicant and asks
the short reference form; once given it only thanks them (a reference is not changed afterwards)."""

from .translated import lazy_gettext
from flask import Blueprint, abort, render_template
from flask_wtf import FlaskForm
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from . import references
from .models import OPEN
from .forms import single_line

bp = Blueprint("referee", __name__, url_prefix="/reference")


class ReferenceForm(FlaskForm):
    known_for = StringField(
        lazy_gettext("How long have you known the applicant?"),
        validators=[
            DataRequired(lazy_gettext("Please say how long you have known them.")),
            Length(max=200),
            single_line,
        ],
    )
    capacity = StringField(
        lazy_gettext("In what capacity?"),
        validators=[
            DataRequired(lazy_gettext("Please say how you know them (for example: employer, teacher, neighbour).")),
            Length(max=200),
            single_line,
        ],
    )
    concerns = RadioField(
        lazy_gettext("Do you have any concerns about them working with vulnerable adults?"),
        choices=[SelectChoice("no", "No"), SelectChoice("yes", "Yes")],
        validators=[InputRequired(lazy_gettext("Please answer yes or no."))],
    )
    text = TextAreaField(
        lazy_gettext("Anything you would like to add (and, if yes, your concerns)"), validators=[Length(max=5000)]
    )


@bp.route("/<token>", methods=["GET", "POST"])
def reference(token):
    found = references.from_link(token)
    if found is None:
        abort(404)
    applicant = f"{found.application.first_name} {found.application.last_name}".strip()
    if found.received_at or found.application.status != OPEN:
        return render_template("referee/thanks.html", reference=found, applicant=applicant)
    form = ReferenceForm()
    if form.validate_on_submit():
        references.receive(
            found,
            form.known_for.data.strip(),
            form.capacity.data.strip(),
            form.concerns.data == "yes",
            (form.text.data or "").strip(),
        )
        # Read again: the thanks page tells a referee who has just answered from one who came too late.
        found = references.from_link(token)
        return render_template("referee/thanks.html", reference=found, applicant=applicant)
    return render_template("referee/reference.html", form=form, reference=found, applicant=applicant), (
        422 if form.errors else 200
    )
