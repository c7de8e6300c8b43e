"""CSRF on every POST and the response headers that keep pages strict."""

from flask import request
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()

# No inline script or style anywhere: htmx is told (in base.html's meta) not to eval or inject styles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def init_app(app):
    csrf.init_app(app)

    @app.after_request
    def _headers(response):
        h = response.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config.get("SESSION_COOKIE_SECURE"):
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        if request.endpoint != "static":
            # Any page may answer htmx with a fragment and a browser with the whole page: a cache
            # (or the back button) must never hand one out for the other.
            response.vary.add("HX-Request")
        if response.mimetype == "text/html":
            # Pages hold personal data: never from a shared cache, never from the back button after sign-out.
            h.setdefault("Cache-Control", "no-store")
        return response
