"""The API for the charity's other systems (blueprint "api"): JSON under /api/v1/, a bearer token per
integration, described by /api/v1/openapi.json and readable at /api/docs.

The session cookie counts for nothing here: every request names its token, so a page on another
site cannot make a signed-in browser act (no CSRF), and no Access-Control-* header is ever sent.
"""

import importlib
import pkgutil
from functools import wraps

from flask import Blueprint, current_app, g, request

from ..db import utcnow
from ..models import ApiToken
from ..security import csrf
from . import rate
from .problems import Problem

bp = Blueprint("api", __name__, url_prefix="/api")
csrf.exempt(bp)

RATE_PER_MINUTE = 120  # a token's requests a minute; API_RATE_PER_MINUTE in the config overrides it
OPEN = {"api.openapi", "api.docs"}  # the description of the API, no data


@bp.before_request
def _bearer_token():
    from ..auth.session import login_manager

    g._login_user = login_manager.anonymous_user()  # never whoever the session cookie names
    if request.endpoint in OPEN:
        return
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    row = ApiToken.usable(token.strip(), utcnow()) if scheme.lower() == "bearer" else None
    if row is None:
        raise Problem(
            401,
            "Send a valid API token as 'Authorization: Bearer <token>': this one is missing, expired or revoked.",
            {"WWW-Authenticate": 'Bearer realm="cervis"'},
        )
    limit = current_app.config.get("API_RATE_PER_MINUTE", RATE_PER_MINUTE)
    if not rate.leases(current_app).admit(row.id, limit):
        raise Problem(
            429, f"This token may make {limit} requests a minute. Please wait a minute.", {"Retry-After": "60"}
        )
    g.api_token = row


@bp.after_request
def _never_cached(response):
    # Volunteers' names and contact details: never kept by a shared cache or a proxy.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def needs(scope):
    """The view answers only a token holding this scope."""

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if scope not in g.api_token.scope_set:
                raise Problem(403, f"This token does not have the {scope} scope.")
            return view(*args, **kwargs)

        return wrapped

    return decorate


# Every module in this package holds some of its routes: import them all.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
