"""Log in, sign out, passwords, the idle timeout, and who may open what."""
import hashlib
import time
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, abort, current_app, flash, g, make_response, redirect, render_template,
                   request, session, url_for)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer

from . import emails, passwords
from .db import database, utcnow
from .forms import ChangePasswordForm, EmptyForm, LoginForm, NewPasswordForm, ResetForm
from .htmx import is_background, is_htmx
from .models import Organisation, Throttle, User

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

SAME_MESSAGE = "The e-mail address or password is not right. Please try again."
LOCKED_ACCOUNT = ("Too many failed log-ins. This account is locked for 15 minutes; "
                  "please wait, reset your password, or contact us.")
LOCKED_ADDRESS = ("Too many failed log-ins from this network. Please wait 15 minutes and try again, "
                  "or contact us.")
LOGIN_WINDOW = timedelta(minutes=15)
TOO_MANY_CURRENT = ("Too many wrong current passwords. Please wait 15 minutes and try again, "
                    "or sign out and use “Don't Know Password / Reset Password”.")
LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS = 5, 50
RESET_WINDOW = timedelta(hours=1)
RESET_PER_ACCOUNT, RESET_PER_ADDRESS = 3, 10
TEMP_VALID = timedelta(hours=1)
# A new account's first password: the welcome e-mail may wait days before it is read.
WELCOME_VALID = timedelta(days=7)
WARN_SECONDS = 120
# Pages a volunteer may open before changing a temporary password or verifying their profile.
ALWAYS_OPEN = {"static", "auth.logout", "auth.idle", "auth.stay", "auth.strength", "views.terms",
               "views.privacy", "views.contact"}
# A dummy hash, so an unknown e-mail costs the same time as a wrong password.
_DUMMY_HASH = passwords.hash_password("not a real password at all")


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to see that page."
    login_manager.login_message_category = "error"
    login_manager.session_protection = None  # the per-user token does this job, across networks
    # Each request decides who is logged in afresh, even where an app context outlives a request
    # (tests, CLI): a user cached in g must never answer for the next request.
    app.before_request(lambda: g.pop("_login_user", None) and None)
    app.before_request(_idle_and_forced_steps)


@login_manager.user_loader
def _load_user(user_id):
    uid, _, token = user_id.partition(":")
    user = User.get_or_none(User.id == int(uid)) if uid.isdigit() else None
    if user is None or not user.active or user.session_token != token:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    flash(login_manager.login_message, "error")
    return to_login()


def _go(url):
    """Send the browser elsewhere: HX-Redirect for htmx (a swap would put a page in a fragment)."""
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def to_login():
    return _go(url_for("auth.login"))


def _idle_and_forced_steps():
    """Before every request of a signed-in user: the idle timeout, then any step they must take first."""
    if request.endpoint in (None, "static") or not current_user.is_authenticated:
        return None
    org = Organisation.current()
    now = time.time()
    if now - session.get("seen", 0) > org.session_timeout * 60:
        logout_user()
        session.clear()
        flash(f"You were signed out because there was no activity for {org.session_timeout} minutes. "
              "Please log in again.", "error")
        return to_login()
    if not is_background():  # the page's own idle check is not the volunteer doing anything
        session["seen"] = now
    step = _required_step(current_user, org)
    if step is None or request.endpoint in ALWAYS_OPEN or _part_of(step, request.endpoint):
        return None
    return _go(url_for(step))


def _part_of(step, endpoint):
    if step == "volunteer.profile":
        # The profile page's own fragments, and Change Password, which its menu offers.
        return endpoint.startswith("volunteer.profile") or endpoint == "auth.change_password"
    return endpoint == step


def _required_step(user, org=None):
    """The page this user must finish before anything else opens, or None."""
    if user.must_change_password:
        return "auth.change_password"
    if user.needs_profile(org) and "volunteer.profile" in current_app.view_functions:
        return "volunteer.profile"
    return None


def leader_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not (current_user.is_admin or current_user.is_leader):
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def admin_required(view):
    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def home_for(user):
    if user.is_admin:
        return url_for("admin.home")
    if user.is_leader:
        return url_for("leader.home")
    return url_for("volunteer.home")


def _next_page(user):
    step = _required_step(user)
    return url_for(step) if step else home_for(user)


def _client_address():
    return request.remote_addr or "unknown"


def _check(stored, password):
    """verify_password, which costs one hash even with nothing stored (a dummy then)."""
    if not stored:
        passwords.verify_password(_DUMMY_HASH, password)
        return False
    return passwords.verify_password(stored, password)


def _authenticate(email, password):
    """The user and whether they used a temporary password, or (None, False).

    A refusal always costs two hashes, whether the account exists, has a password or is waiting
    on a temporary one: the time taken must not tell which.
    """
    user = User.by_email(email)
    if user is None or not user.active:
        for _ in range(2):
            _check(None, password)
        return None, False
    if _check(user.password_hash, password):
        return user, False
    temp_valid = user.temp_password_expires is not None and user.temp_password_expires > utcnow()
    if _check(user.temp_password_hash if temp_valid else None, password):
        return user, True
    return None, False


def start_session(user):
    session.clear()
    login_user(user)
    session["seen"] = time.time()


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    org = Organisation.current()
    form = LoginForm()
    if request.method == "GET" and request.cookies.get("remember_email"):
        form.email.data = request.cookies["remember_email"]
        form.remember.data = True
    error, status = None, 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        account_key, address_key = f"login-email:{email}", f"login-addr:{_client_address()}"
        if Throttle.count(account_key, LOGIN_WINDOW) >= LOGIN_PER_ACCOUNT:
            error, status = LOCKED_ACCOUNT, 429
        elif Throttle.count(address_key, LOGIN_WINDOW) >= LOGIN_PER_ADDRESS:
            error, status = LOCKED_ADDRESS, 429
        else:
            user, used_temp = _authenticate(email, form.password.data)
            if user is None:
                with database.atomic():
                    Throttle.hit(account_key)
                    Throttle.hit(address_key)
                error, status = SAME_MESSAGE, 401
            else:
                return _logged_in(user, used_temp, form.remember.data, form.password.data)
    form.password.data = ""
    return render_template("auth/login.html", form=form, org=org, error=error), status


def _logged_in(user, used_temp, remember, password):
    with database.atomic():
        Throttle.clear(f"login-email:{user.email}")
        if used_temp:
            # Valid once: from now on only a new password of their own opens the portal.
            user.temp_password_hash = None
            user.temp_password_expires = None
            user.must_change_password = True
            user.end_sessions()  # a reset, once used, signs out every other session
            user.save()
        elif passwords.needs_rehash(user.password_hash):
            user.password_hash = passwords.hash_password(password)
            user.save()
    start_session(user)
    response = redirect(_next_page(user), code=303)
    if remember:
        response.set_cookie("remember_email", user.email, max_age=365 * 86400, httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Lax")
    else:
        response.delete_cookie("remember_email")
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        with database.atomic():
            user.end_sessions()
            user.save()
        logout_user()
    session.clear()
    flash("You have signed out.", "success")
    return to_login()


@bp.route("/reset", methods=["GET", "POST"])
def reset():
    org = Organisation.current()
    form = ResetForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        keys = (f"reset-email:{email}", f"reset-addr:{_client_address()}")
        if (Throttle.count(keys[0], RESET_WINDOW) >= RESET_PER_ACCOUNT
                or Throttle.count(keys[1], RESET_WINDOW) >= RESET_PER_ADDRESS):
            flash("Too many password reset requests. Please wait an hour, or contact us.", "error")
            return render_template("auth/reset.html", form=form, org=org), 429
        with database.atomic():
            for key in keys:
                Throttle.hit(key)
            user = User.by_email(email)
            if user and user.active and user.first_name.strip().lower() == form.first_name.data.strip().lower():
                issue_temporary_password(user)
            else:
                passwords.hash_password(passwords.temporary_password())  # the same time taken either way
        flash("If that e-mail address and first name match an account, a temporary password is on its "
              "way. It works once, for one hour; until you use it, your old password still works.", "success")
        return redirect(url_for("auth.login"), code=303)
    return render_template("auth/reset.html", form=form, org=org)


def issue_temporary_password(user, kind="temporary-password", valid=None):
    """Store a temporary password's hash and queue the email that carries it.

    It lasts `valid`; by default one hour, or WELCOME_VALID for a welcome (its e-mail says so).
    """
    valid = valid or (WELCOME_VALID if kind == "welcome" else TEMP_VALID)
    temp = passwords.temporary_password()
    user.temp_password_hash = passwords.hash_password(temp)
    user.temp_password_expires = utcnow() + valid
    user.save()
    link = emails.absolute("auth.temporary_link", token=_link_token(user))
    emails.temporary_password(user, temp, link, kind=kind)


def _serializer():
    return URLSafeTimedSerializer(current_app.secret_key, salt="temporary-password")


def _fingerprint(temp_hash):
    # Ties the link to this temporary password (once used or replaced, the link is dead)
    # without putting any of its hash in a URL.
    return hashlib.sha256(temp_hash.encode()).hexdigest()[:32]


def _link_token(user):
    return _serializer().dumps({"u": user.id, "t": _fingerprint(user.temp_password_hash)})


def _user_from_link(token):
    try:
        # The stored expiry, checked below, is the real limit; this only bounds any link.
        data = _serializer().loads(token, max_age=int(max(TEMP_VALID, WELCOME_VALID).total_seconds()))
    except BadSignature:
        return None
    user = User.get_or_none(User.id == data.get("u")) if isinstance(data, dict) else None
    if (user is None or not user.active or not user.temp_password_hash or not user.temp_password_expires
            or _fingerprint(user.temp_password_hash) != data.get("t") or user.temp_password_expires <= utcnow()):
        return None
    return user


@bp.route("/password/temporary/<token>", methods=["GET", "POST"])
def temporary_link(token):
    """The link in the temporary-password email: set a new password without typing the temporary one."""
    user = _user_from_link(token)
    if user is None:
        flash("That link has expired or has already been used. Please ask for a new temporary password.",
              "error")
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
    key = f"current-password:{user.id}"
    if Throttle.count(key, LOGIN_WINDOW) >= LOGIN_PER_ACCOUNT:
        form.current_password.errors.append(TOO_MANY_CURRENT)
        return False, 429
    if passwords.verify_password(user.password_hash, form.current_password.data):
        return True, 400
    with database.atomic():
        Throttle.hit(key)
    form.current_password.errors.append("That is not your current password.")
    return False, 400


def _acceptable(form, user):
    found = passwords.problems(form.new_password.data, user, Organisation.current())
    form.new_password.errors.extend(found)
    return not found


def _set_password(user, password):
    with database.atomic():
        user.password_hash = passwords.hash_password(password)
        user.temp_password_hash = None
        user.temp_password_expires = None
        user.must_change_password = False
        user.end_sessions()  # every other session of this account ends here
        user.save()
        emails.password_changed(user)


def _after_change(user):
    start_session(user)  # this session goes on, with the new token; every other one has ended
    flash("Your password has been changed.", "success")
    return redirect(_next_page(user), code=303)


def _change_page(form, user, status=200):
    for field in ("new_password", "confirm"):
        getattr(form, field).data = ""
    org = Organisation.current()
    return render_template("auth/change_password.html", form=form, user=user, org=org,
                           rule=passwords.rule_text(org), max_length=passwords.MAX_LENGTH), status


@bp.route("/password/strength", methods=["POST"])
def strength():
    """The meter under the new password, updated as the volunteer types."""
    user = current_user if current_user.is_authenticated else _user_from_link(request.form.get("token", ""))
    if user is None:
        return "", 204
    score, label, hint = passwords.strength(request.form.get("new_password", ""), user, Organisation.current())
    return render_template("auth/_strength.html", score=score, label=label, hint=hint)


@bp.route("/session/idle")
@login_required
def idle():
    """Polled in the background: the pink warning when the session is about to end."""
    timeout = Organisation.current().session_timeout * 60
    remaining = int(timeout - (time.time() - session.get("seen", 0)))
    return render_template("_idle.html", remaining=remaining, warn=remaining <= WARN_SECONDS)


@bp.route("/session/stay", methods=["POST"])
@login_required
def stay():
    """The pink prompt's button: always activity, whatever headers the prompt passed down."""
    session["seen"] = time.time()
    if is_htmx():
        return idle()
    back = urlsplit(request.referrer or "")
    # "//elsewhere.example/" is a path too, but a browser reads it as another site.
    same_site = (back.netloc == request.host and back.path.startswith("/")
                 and not back.path.startswith(("//", "/\\")))
    return redirect(back.path + (f"?{back.query}" if back.query else "") if same_site
                    else home_for(current_user), code=303)


def idle_delay(remaining):
    """Seconds until the page should next ask: at the warning, else at the end."""
    return max(remaining - WARN_SECONDS, 1) if remaining > WARN_SECONDS else max(remaining + 1, 1)


__all__ = ["bp", "init_app", "login_required", "leader_required", "admin_required", "home_for",
           "EmptyForm", "issue_temporary_password"]
