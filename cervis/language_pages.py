"""The log-in page's language switch: a plain link that remembers the choice in a cookie."""

from flask import Blueprint, abort, redirect, request, url_for
from flask_babel import get_locale

from .auth.session import safe_next
from .languages import COOKIE, known

bp = Blueprint("language", __name__)
YEAR = 365 * 24 * 3600


@bp.route("/language/<code>")
def switch(code):
    """A GET, so it works as a link without JavaScript; it changes nothing but how pages read."""
    if not known(code):
        abort(404)
    answer = redirect(safe_next(request.args.get("next")) or url_for("auth.login"), code=303)
    answer.set_cookie(COOKIE, code, max_age=YEAR, secure=request.is_secure, httponly=True, samesite="Lax")
    return answer


def page_language():
    """The <html lang> of a page: en-GB for the source, else the chosen catalogue's code."""
    locale = get_locale()
    return "en-GB" if locale is None or locale.language == "en" else locale.language


def init_app(app):
    app.jinja_env.globals["page_language"] = page_language
