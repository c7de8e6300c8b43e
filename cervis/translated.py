"""Text translated when it is shown, for what is written before any request: form labels, the
menus, the names of states. Flask-Babel's LazyString hands Jinja its text as already-safe HTML
(unescaped), so "terms & conditions" would reach the page as a bare "&"; this one is escaped."""

from flask_babel import LazyString, gettext
from markupsafe import escape


class Lazy(LazyString):
    def __html__(self):
        return escape(str(self))


def lazy_gettext(string, **variables):
    return Lazy(gettext, string, **variables)


def lazy(function, *args, **kwargs):
    """Any function's text, written out as it is shown (in the language of that moment)."""
    return Lazy(function, *args, **kwargs)


def plain(value):
    """What flash() and the session can hold: a str (Markup kept as it is), never a lazy string."""
    return value if isinstance(value, str) else str(value)


def N_(string):
    """Marks a constant for pybabel (a default keyword) and leaves it a plain string: whoever shows
    it translates it then, with gettext(CONSTANT)."""
    return string
