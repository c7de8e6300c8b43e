"""Log in, sign out, the idle timeout, and who may open what. (Passwords: password_pages.py, whose
routes join this blueprint; where a signed-in person goes next: landing.py.)"""

from flask_babel import gettext
from ..translated import lazy_gettext, plain
import time
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, current_user, login_required, login_user, logout_user

from .. import passwords
from ..db import utcnow, write_transaction
from ..forms import LoginForm
from ..htmx import is_background, is_htmx
from .landing import client_address, home_for, required_step
from ..models import Organisation, SingleSignOn, Throttle, User
from ..models.people import normal_email

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

SAME_MESSAGE = lazy_gettext("The e-mail address or password is not right. Please try again.")
LOCKED_ACCOUNT = lazy_gettext(
    "Too many failed log-ins. This account is locked for 15 minutes; please wait, reset your password, or contact us."
)
LOCKED_ADDRESS = lazy_gettext(
    "Too many failed log-ins from this network. Please wait 15 minutes and try again, or contact us."
)
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_PER_ACCOUNT, LOGIN_PER_ADDRESS = 5, 50
WARN_SECONDS = 120
_clock = time.time  # the session clock, which tests stop
SEEN_STEP = 60  # seconds: how finely the idle clock restarts
# Pages a volunteer may open before changing a temporary password or verifying their profile.
# The charity's logo, colours and icons dress those first pages too.
ALWAYS_OPEN = {
    "static",
    "auth.logout",
    "auth.idle",
    "auth.stay",
    "auth.strength",
    "views.terms",
    "views.privacy",
    "views.contact",
    "brand.logo",
    "brand.stylesheet",
    "brand.manifest",
    "brand.tonight_manifest",
    "brand.icon",
    "brand.favicon",
}


def init_app(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see that page.")
    login_manager.login_message_category = "error"
    login_manager.session_protection = None  # the per-user token does this job, across networks
    # Each request decides who is logged in afresh, even where an app context outlives a request
    # (tests, CLI): a user (or organisation) cached in g must never answer for the next request.
    app.before_request(_forget_cached)
    app.teardown_request(lambda exc: _forget_cached())
    app.before_request(_idle_and_forced_steps)


def _forget_cached():
    for name in ("_login_user", "org", "org_zone", "brand_face", "_flask_babel"):
        g.pop(name, None)


@login_manager.user_loader
def _load_user(user_id):
    uid, _, token = user_id.partition(":")
    user = User.get_or_none(User.id == int(uid)) if uid.isdigit() else None
    if user is None or not user.active or user.session_token != token:
        return None
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    flash(plain(login_manager.login_message), "error")
    if request.method == "GET" and not is_htmx():
        # An email's link (a month's slots) opens where it pointed once logged in.
        return _go(url_for("auth.login", next=request.full_path.rstrip("?")))
    return to_login()


def safe_next(target):
    """A path on this site to go to after log-in, or None: never another site ("//evil", "/\\evil")."""
    target = (target or "").strip()
    parts = urlsplit(target)
    if (
        not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or parts.scheme
        or parts.netloc
        or any(c in target for c in "\r\n\\")
    ):
        return None
    return target


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
    if request.endpoint in (None, "static") or request.blueprint == "api" or not current_user.is_authenticated:
        return None  # the API answers its bearer token alone, never the session
    org = Organisation.current()
    now = _clock()
    ended = _ended_because(org, now)
    if ended:
        logout_user()
        session.clear()
        flash(gettext("You were signed out because %(ended)s. Please log in again.", ended=ended), "error")
        return to_login()
    if not is_background() and now - session.get("seen", 0) >= SEEN_STEP:
        # The page's own idle check is not the volunteer doing anything. Written at most once a
        # minute: an unchanged session is not signed and sent again with every answer.
        session["seen"] = now
    step = required_step(current_user, org)
    if step is None or request.endpoint in ALWAYS_OPEN or _part_of(step, request.endpoint):
        return None
    return _go(url_for(step))


def _ended_because(org, now):
    """Why this session is over, or None: idle too long, or (however busy) signed in too long."""
    if now - session.get("seen", 0) > org.session_timeout * 60:
        return f"there was no activity for {org.session_timeout} minutes"
    # A session from before this limit existed starts counting now, rather than ending at once.
    if now - session.setdefault("started", now) > org.session_lifetime * 3600:
        return f"you have been signed in for {org.session_lifetime} hours"
    return None


def _part_of(step, endpoint):
    if step == "volunteer.profile":
        # The profile page's own fragments, and Change Password, which its menu offers.
        return endpoint.startswith("volunteer.profile") or endpoint == "auth.change_password"
    return endpoint == step


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


def _check(stored, password):
    """verify_password, which costs one hash even with nothing stored (a dummy then)."""
    if not stored:
        passwords.verify_password(passwords.dummy_hash(), password)
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
    session["seen"] = session["started"] = _clock()


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
        email = normal_email(form.email.data)
        account_key = f"login-email:{email}"
        blocked, reserved = Throttle.reserve(
            [(account_key, LOGIN_PER_ACCOUNT), (f"login-addr:{client_address()}", LOGIN_PER_ADDRESS)], LOGIN_WINDOW
        )
        if blocked is not None:
            error, status = (LOCKED_ACCOUNT if blocked == account_key else LOCKED_ADDRESS), 429
        else:
            user, used_temp = _authenticate(email, form.password.data)
            if user is None:
                error, status = SAME_MESSAGE, 401
            else:
                Throttle.release(reserved)
                return _logged_in(
                    user, used_temp, form.remember.data, form.password.data, safe_next(request.args.get("next"))
                )
    form.password.data = ""
    return render_template(
        "auth/login.html",
        form=form,
        org=org,
        error=error,
        next=safe_next(request.args.get("next")),
        sso=SingleSignOn.current(),
    ), status


def _logged_in(user, used_temp, remember, password, next_url=None):
    # A hash takes a Pi most of a second: made before the write lock, saved under it only if the
    # password was not changed meanwhile.
    old = user.password_hash
    upgraded = passwords.hash_password(password) if not used_temp and passwords.needs_rehash(old) else None
    with write_transaction():
        Throttle.clear(f"login-email:{user.email}")
        if used_temp:
            # Valid once: from now on only a new password of their own opens the portal.
            user.temp_password_hash = None
            user.temp_password_expires = None
            user.must_change_password = True
            user.end_sessions()  # a reset, once used, signs out every other session
            user.save()
        elif upgraded is not None:
            User.update(password_hash=upgraded).where(User.id == user.id, User.password_hash == old).execute()
    start_session(user)
    step = required_step(user)
    response = redirect(url_for(step) if step else next_url or home_for(user), code=303)
    if remember:
        response.set_cookie(
            "remember_email",
            user.email,
            max_age=365 * 86400,
            httponly=True,
            secure=current_app.config["SESSION_COOKIE_SECURE"],
            samesite="Lax",
        )
    else:
        response.delete_cookie("remember_email")
    return response


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        with write_transaction():
            user.end_sessions()
            user.save()
        logout_user()
    session.clear()
    flash(gettext("You have signed out."), "success")
    return to_login()


@bp.route("/session/idle")
@login_required
def idle():
    """Polled in the background: the pink warning when the session is about to end."""
    timeout = Organisation.current().session_timeout * 60
    remaining = int(timeout - (_clock() - session.get("seen", 0)))
    return render_template("_idle.html", remaining=remaining, warn=remaining <= WARN_SECONDS)


@bp.route("/session/stay", methods=["POST"])
@login_required
def stay():
    """The pink prompt's button: always activity, whatever headers the prompt passed down."""
    session["seen"] = _clock()
    if is_htmx():
        return idle()
    back = urlsplit(request.referrer or "")
    # "//elsewhere.example/" is a path too, but a browser reads it as another site.
    same_site = back.netloc == request.host and back.path.startswith("/") and not back.path.startswith(("//", "/\\"))
    return redirect(
        back.path + (f"?{back.query}" if back.query else "") if same_site else home_for(current_user), code=303
    )


def idle_delay(remaining):
    """Seconds until the page should next ask: at the warning, else at the end."""
    return max(remaining - WARN_SECONDS, 1) if remaining > WARN_SECONDS else max(remaining + 1, 1)


__all__ = ["bp", "init_app", "login_required", "leader_required", "admin_required"]
