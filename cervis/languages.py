"""Which language a page or an e-mail is in: the person's choice, else (before log-in) the log-in
page's switch, else the browser's Accept-Language, else the organisation's default."""

from pathlib import Path

from flask import current_app, has_request_context, request
from flask_babel import Babel, get_translations
from flask_login import current_user
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from .models import Organisation

# The catalogues shipped (cervis/translations/<code>), each named in its own language.
NAMES = {"en": "English", "cy": "Cymraeg", "pl": "Polski"}
COOKIE = "language"
TRANSLATIONS = Path(__file__).parent / "translations"


def init_app(app):
    app.config.setdefault("LANGUAGES", tuple(NAMES))
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=choose)
    app.jinja_env.globals["language_names"] = offered
    app.context_processor(catalogue_once)


def catalogue_once():
    """The templates' gettext and ngettext from the catalogue found once a render: Flask-Babel's own
    find it again at each phrase (a wall screen says 500, every page's menu 70). Jinja's own wrappers,
    so its escaping and formatting of a phrase stay as they were."""
    catalogue = get_translations()
    return {"gettext": _make_new_gettext(catalogue.ugettext), "ngettext": _make_new_ngettext(catalogue.ungettext)}


def offered():
    """(code, name) of every language a person may choose, in the order shown."""
    return [(code, NAMES.get(code, code)) for code in current_app.config["LANGUAGES"]]


def known(code):
    return code if code in current_app.config["LANGUAGES"] else None


def of(user):
    """The language of this person's pages and e-mails (None: nobody in particular)."""
    return known(getattr(user, "language", "") or "") or known(Organisation.current().language) or "en"


def choose():
    if not has_request_context():
        return of(None)
    if current_user and current_user.is_authenticated and known(current_user.language or ""):
        return current_user.language
    browser = request.accept_languages.best_match(current_app.config["LANGUAGES"])
    return known(request.cookies.get(COOKIE, "")) or browser or of(None)
