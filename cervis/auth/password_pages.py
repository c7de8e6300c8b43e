"""Passwords: reset by e-mail, temporary passwords, Change CERVIS Password and its strength meter.

The routes belong to the "auth" blueprint; they live here so that session.py is about logging in.
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import emails, passwords
from .session import LOGIN_PER_ACCOUNT, LOGIN_WINDOW, bp, start_session
from ..db import write_transaction
from ..forms import ChangePasswordForm, NewPasswordForm, ResetForm
from ..htmx import answered
from .landing import client_address, next_page
from ..models import Organisation, Throttle, User
from ..models.people import normal_email
from ..temporary_passwords import issue_temporary_password, user_from_link

RESET_WINDOW = timedelta(hours=1)
RESET_PER_ACCOUNT, RESET_PER_ADDRESS = 3, 10
TOO_MANY_CURRENT = lazy_gettext(
    "Too many wrong current passwords. Please wait 15 minutes and try again, "
    "or sign out and use “Don't Know Password / Reset Password”."
)


@bp.route("/reset", methods=["GET", "POST"])
def reset():
    org = Organisation.current()
    form = ResetForm()
    if form.validate_on_submit():
        email = normal_email(form.email.data)
        blocked, _ = Throttle.reserve(
            [(f"reset-email:{email}", RESET_PER_ACCOUNT), (f"reset-addr:{client_address()}", RESET_PER_ADDRESS)],
            RESET_WINDOW,
        )
        if blocked is not None:
            flash(gettext("Too many password reset requests. Please wait an hour, or contact us."), "error")
            return render_template("auth/reset.html", form=form, org=org), 429
        with write_transaction():
            user = User.by_email(email)
            if user and user.active and user.first_name.strip().lower() == form.first_name.data.strip().lower():
                issue_temporary_password(user)
            else:
                passwords.hash_password(passwords.temporary_password())  # the same time taken either way
        return answered(
            url_for("auth.login"),
            gettext(
                "If that e-mail address and first name match an account, a temporary "
                "password is on its way. It works once, for one hour; until you use it, your old password "
                "still works."
            ),
        )
    return render_template("auth/reset.html", form=form, org=org)


@bp.route("/password/temporary/<token>", methods=["GET", "POST"])
def temporary_link(token):
    """The link in the temporary-password email: set a new password without typing the temporary one."""
    user = user_from_link(token)
    if user is None:
        flash(
            gettext("That link has expired or has already been used. Please ask for a new temporary password."), "error"
        )
        return redirect(url_for("auth.reset"))
    form = NewPasswordForm()
    if form.validate_on_submit() and _acceptable(form, user):
        _set_password(user, form.new_password.data)
        return _after_change(user)
    return _change_page(form, user, status=400 if form.is_submitted() else 200)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    user = current_user._get_current_object()
    form = NewPasswordForm() if user.must_change_password else ChangePasswordForm()
    if form.validate_on_submit():
        current_ok, status = _current_password_ok(user, form)
        if _acceptable(form, user) and current_ok:  # every problem at once, not one per try
            _set_password(user, form.new_password.data)
            return _after_change(user)
        return _change_page(form, user, status=status)
    return _change_page(form, user, status=400 if form.is_submitted() else 200)


def _current_password_ok(user, form):
    """(right, status): the current password, limited like log-ins, so a session left open on a
    shared computer cannot be used to guess it and take the account over."""
    if user.must_change_password:
        return True, 400
    blocked, reserved = Throttle.reserve([(f"current-password:{user.id}", LOGIN_PER_ACCOUNT)], LOGIN_WINDOW)
    if blocked is not None:
        form.current_password.errors.append(TOO_MANY_CURRENT)
        return False, 429
    if passwords.verify_password(user.password_hash, form.current_password.data):
        Throttle.release(reserved)
        return True, 400
    form.current_password.errors.append("That is not your current password.")
    return False, 400


def _acceptable(form, user):
    found = passwords.problems(form.new_password.data, user, Organisation.current())
    form.new_password.errors.extend(found)
    return not found


def _set_password(user, password):
    with write_transaction():
        user.password_hash = passwords.hash_password(password)
        user.temp_password_hash = None
        user.temp_password_expires = None
        user.must_change_password = False
        user.end_sessions()  # every other session of this account ends here
        user.save()
        emails.password_changed(user)


def _after_change(user):
    start_session(user)  # this session goes on, with the new token; every other one has ended
    return answered(next_page(user), gettext("Your password has been changed."))


def _change_page(form, user, status=200):
    org = Organisation.current()
    # After a refused attempt the meter shows the server's verdict on what was typed: no script needed.
    typed = form.new_password.data if form.is_submitted() else ""
    verdict = passwords.strength(typed, user, org) if typed else (0, "", "")
    for field in ("new_password", "confirm"):
        getattr(form, field).data = ""
    return render_template(
        "auth/change_password.html",
        form=form,
        user=user,
        org=org,
        verdict=verdict,
        rule=passwords.rule_text(org),
        max_length=passwords.MAX_LENGTH,
    ), status


@bp.route("/password/strength", methods=["POST"])
def strength():
    """The meter under the new password, updated as the volunteer types."""
    user = current_user if current_user.is_authenticated else user_from_link(request.form.get("token", ""))
    if user is None:
        return "", 204
    score, label, hint = passwords.strength(request.form.get("new_password", ""), user, Organisation.current())
    return render_template("auth/_strength.html", score=score, label=label, hint=hint)
