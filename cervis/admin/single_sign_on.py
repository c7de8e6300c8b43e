"""Single Sign-On: the organisation's OpenID provider, so staff sign in with their work accounts."""

from ..translated import lazy_gettext
from flask_babel import gettext
from urllib.parse import urlsplit

from flask import render_template, url_for
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import Length, Optional, ValidationError

from ..auth import admin_required
from ..auth.sso import redirect_address
from ..db import write_transaction
from ..forms import single_line
from ..htmx import answered
from ..models import AuditLog, SingleSignOn
from . import bp
from .paging import me

LOOPBACK = ("127.0.0.1", "localhost", "::1")
FIELDS = ("issuer", "client_id", "account_name", "volunteers_allowed")


class SsoForm(FlaskForm):
    issuer = StringField(lazy_gettext("Issuer"), validators=[Optional(), Length(max=255), single_line])
    client_id = StringField(lazy_gettext("Client ID"), validators=[Optional(), Length(max=255), single_line])
    # Never drawn with its value: a page left open on a screen shows no secret.
    client_secret = PasswordField(lazy_gettext("Client secret"), validators=[Optional(), Length(max=255), single_line])
    account_name = StringField(
        lazy_gettext("Organisation account name"), validators=[Optional(), Length(max=60), single_line]
    )
    volunteers_allowed = BooleanField(
        lazy_gettext("Volunteers may sign in this way too (not only group leaders and administrators)")
    )

    def validate_issuer(self, field):
        if not field.data:
            return
        try:
            address = urlsplit(field.data.strip())
            host = address.hostname
        except ValueError:
            host = None
        # Plain http only for a provider on this machine (a test's, or one behind the same proxy).
        if not host or not (address.scheme == "https" or (address.scheme == "http" and host in LOOPBACK)):
            raise ValidationError(gettext("Please enter the issuer's https:// address, as your provider gives it."))


def _complete(form, config):
    """Issuer and client id go together, and need a secret (this one, or the one already saved)."""
    issuer, client_id = form.issuer.data.strip(), form.client_id.data.strip()
    if bool(issuer) != bool(client_id):
        (form.client_id if issuer else form.issuer).errors.append(
            gettext("Please fill in both the issuer and the client ID.")
        )
    elif issuer and not (form.client_secret.data or config.client_secret):
        form.client_secret.errors.append(gettext("Please enter the client secret your provider gave you."))
    return not (form.issuer.errors or form.client_id.errors or form.client_secret.errors)


@bp.route("/single-sign-on", methods=["GET", "POST"])
@admin_required
def single_sign_on():
    config = SingleSignOn.current()
    form = SsoForm(obj=config)
    if form.validate_on_submit() and _complete(form, config):
        before = {name: getattr(config, name) for name in FIELDS}
        for name in FIELDS:
            value = getattr(form, name).data
            setattr(config, name, value.strip() if isinstance(value, str) else value)
        secret_changed = bool(form.client_secret.data)
        if secret_changed:
            config.client_secret = form.client_secret.data.strip()
        if not config.issuer:
            config.client_secret = ""  # turned off: nothing kept that could sign anyone in
        with write_transaction():
            config.save()
            after = {name: getattr(config, name) for name in FIELDS}
            AuditLog.record(
                me(), "single-sign-on.change", config, before=before, after={**after, "secret_changed": secret_changed}
            )
        return answered(url_for("admin.single_sign_on"), gettext("Single sign-on settings saved."), target="sso-save")
    status = 400 if form.is_submitted() else 200
    return render_template(
        "admin/single_sign_on.html", form=form, config=config, redirect_address=redirect_address()
    ), status
