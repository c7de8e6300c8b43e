"""Logo, Colour and Welcome: the organisation's face on the log-in page, the black bar, the emails,
the favicon and the home-screen icon."""

from flask_babel import gettext
from ..translated import lazy_gettext
from flask import g, render_template, url_for
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError

from .. import branding
from ..auth import admin_required
from ..db import write_transaction
from ..forms import single_line
from ..htmx import answered
from ..models import AuditLog, Branding
from . import bp
from .paging import me


class BrandingForm(FlaskForm):
    logo = FileField(lazy_gettext("Logo (PNG or SVG, at most 512 KB)"))
    remove_logo = BooleanField(lazy_gettext("Remove the logo"))
    accent = StringField(
        lazy_gettext("Accent colour"), filters=[lambda v: (v or "").strip().lower()], validators=[single_line]
    )
    welcome = TextAreaField(
        lazy_gettext("Welcome on the log-in page"),
        filters=[lambda v: (v or "").strip()],
        validators=[Length(max=500, message=lazy_gettext("Please keep the welcome under 500 characters."))],
    )

    def validate_accent(self, field):
        problem = branding.accent_problem(field.data)
        if problem:
            raise ValidationError(problem)


def describe(face):
    return {
        "logo": f"{face.logo_type} ({len(face.logo or b'')} bytes)" if face.logo_type else "none",
        "logo_version": face.logo_version,
        "accent": face.accent or "default",
        "welcome": face.welcome,
    }


@bp.route("/branding", methods=["GET", "POST"])
@admin_required
def branding_page():
    face = Branding.current()
    form = BrandingForm(obj=face)
    if form.validate_on_submit():
        logo = _uploaded_logo(form)
        if not form.logo.errors:
            _save(face, form, logo)
            return answered(
                url_for("admin.branding_page"), gettext("Logo, colour and welcome saved."), target="branding-save"
            )
    return render_template("admin/branding.html", form=form, face=face), 400 if form.is_submitted() else 200


def _uploaded_logo(form):
    """(kind, bytes) of a new logo, None for no change, or ("", None) to remove it."""
    upload = form.logo.data
    if upload and getattr(upload, "filename", ""):
        try:
            return branding.check_logo(upload.read(branding.MAX_BYTES + 1), upload.filename)
        except branding.LogoProblem as problem:
            form.logo.errors = [str(problem)]
            return None
        finally:
            upload.close()  # a large upload is a temporary file: closed now, not whenever
    return ("", None) if form.remove_logo.data else None


def _save(face, form, logo):
    with write_transaction():
        face = Branding.current()
        before = describe(face)
        face.accent, face.welcome = form.accent.data, form.welcome.data
        if logo is not None:
            face.logo_type, face.logo = logo[0], logo[1]
            face.logo_version += 1
        face.save()
        g.pop("brand_face", None)  # this answer already draws the new face
        AuditLog.record(me(), "branding-change", face, before=before, after=describe(face))
