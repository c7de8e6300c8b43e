"""CERVIS: Community Event Registration and Volunteer Information System."""

import os
import secrets
from pathlib import Path

from flask import Flask, current_app, render_template
from werkzeug.routing import IntegerConverter

from .configuration import LOCAL_URL, instance_folder, read_booleans, shipped_folder

DEFAULTS = dict(
    SESSION_COOKIE_SECURE=True,
    SESSION_COOKIE_HTTPONLY=True,
    SESSION_COOKIE_SAMESITE="Lax",
    WTF_CSRF_TIME_LIMIT=None,  # the session itself expires; a form left open keeps working
    MAX_CONTENT_LENGTH=10 * 1024 * 1024,
    MAIL_SERVER=None,
    MAIL_PORT=587,
    MAIL_USERNAME=None,
    MAIL_PASSWORD=None,
    MAIL_USE_TLS=True,
    MAIL_USE_SSL=False,
    MAIL_SENDER="cervis@localhost",
    BASE_URL=LOCAL_URL,
    CONFIRMATION_UNDO_MINUTES=10,
)


def create_app(test_config=None):
    instance = instance_folder(test_config)
    app = Flask(
        __name__,
        instance_path=str(instance),
        instance_relative_config=True,
        template_folder=str(shipped_folder("templates")),
        static_folder=str(shipped_folder("static")),
    )
    app.config.from_mapping(DEFAULTS)
    # Before any route is added: an id too large for the database is a 404, never an overflow error.
    app.url_map.converters["int"] = BoundedInt
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CERVIS")
        if os.environ.get("DATABASE_URL"):
            app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]
    else:
        app.config.from_mapping(test_config)
    read_booleans(app.config)
    instance.mkdir(parents=True, exist_ok=True)
    app.config.setdefault("DATABASE_URL", f"sqlite:///{instance / 'cervis.db'}")
    app.config.setdefault("OUTBOX_DIR", str(instance / "outbox"))
    app.config.setdefault("DOCUMENTS_DIR", str(instance / "documents"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(instance)

    from . import assets, db, auth, security, views, cli, htmx, brand_pages, languages, language_pages
    from .admin import bp as admin_bp
    from .leader import bp as leader_bp
    from .volunteer import bp as volunteer_bp

    db.init_app(app)
    languages.init_app(app)
    assets.init_app(app)
    security.init_app(app)
    auth.init_app(app)
    views.init_app(app)
    htmx.init_app(app)
    brand_pages.init_app(app)
    cli.init_app(app)
    app.register_blueprint(auth.bp)
    app.register_blueprint(language_pages.bp)
    language_pages.init_app(app)
    app.register_blueprint(volunteer_bp)
    app.register_blueprint(leader_bp)
    app.register_blueprint(admin_bp)
    from . import one_click_unsubscribe, referee_pages

    app.register_blueprint(one_click_unsubscribe.bp)
    from . import apply_pages

    app.register_blueprint(apply_pages.bp)
    app.register_blueprint(referee_pages.bp)
    from .api import bp as api_bp

    app.register_blueprint(api_bp)

    if app.config.get("PROXY_FIX"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)

    if app.config.get("BENCH_FLOOR"):
        # bench/: the cheapest answer this server can give, measured beside every page. Off unless asked.
        app.add_url_rule("/_bench/floor", "bench_floor", lambda: "ok")
        app.add_url_rule("/_bench/write-lock", "bench_write_lock", _bench_write_lock)
        app.add_url_rule("/_bench/jobs", "bench_jobs", _bench_jobs, methods=["POST"])

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, _error_page)
    return app


def _bench_write_lock():
    """The longest write-lock hold since the last ask, in ms, in all and by what held it; then start
    again (bench/run.py)."""
    from .db import WriteLockClock

    longest, by_what, _ = WriteLockClock.longest, WriteLockClock.by_what, WriteLockClock.reset()
    return {"longest_ms": round(longest * 1000, 1), "by": {k: round(v * 1000, 1) for k, v in by_what.items()}}


def _bench_jobs():
    """Every job of the scheduler once, now, each under its own name on the write-lock clock."""
    from .db import WriteLockClock
    from .scheduler import JOBS

    for job, _ in JOBS:
        token = WriteLockClock.doing.set(job.__name__)
        try:
            job(current_app._get_current_object())
        finally:
            WriteLockClock.doing.reset(token)
    return {"ran": [job.__name__ for job, _ in JOBS]}


class BoundedInt(IntegerConverter):
    """<int:...> in every route: no larger than the largest id a database column holds."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


# When the page itself cannot be drawn (it reads the organisation from the database): plain words.
FALLBACK_PAGE = (
    '<!doctype html><html lang="en-GB"><title>Sorry, something went wrong</title>'
    "<h1>Sorry, something went wrong</h1><p>Please try again in a few minutes, or contact us.</p></html>"
)


def _error_page(error):
    from .api import problems

    if problems.is_api_request():
        return problems.for_http_error(error)
    code = getattr(error, "code", 500) or 500
    try:
        return render_template("error.html", code=code, error=error), code
    except Exception:  # noqa: BLE001  (never a second trace: this answer is the last one)
        current_app.logger.exception("The error page could not be drawn")
        return FALLBACK_PAGE, code, {"Content-Type": "text/html; charset=utf-8"}


def _instance_secret(instance: Path) -> str:
    """A random key kept in instance/ so sessions survive restarts; never one in the code."""
    path = instance / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or by another worker starting at the same moment
    else:
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
