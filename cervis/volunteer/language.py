"""The profile's Language: the language of this person's pages and e-mails."""

from flask import abort, flash, redirect, request, url_for
from flask_babel import force_locale, gettext
from flask_login import current_user, login_required

from ..db import write_transaction
from ..languages import known
from ..models import User
from . import bp


@bp.route("/profile/language", methods=["POST"])
@login_required
def profile_language():
    """A plain form: the whole page must be drawn again in the new language, so no fragment."""
    chosen = request.form.get("language", "")
    if chosen and not known(chosen):
        abort(400)
    with write_transaction():
        User.update(language=chosen).where(User.id == current_user.id).execute()
    current_user.language = chosen
    with force_locale(chosen or "en"):
        flash(gettext("Your language is saved."), "success")
    return redirect(url_for("volunteer.profile", _anchor="language"), code=303)
