"""The organisation's face for browsers: its logo, its accent colour as a stylesheet (no inline
style: the CSP forbids it) and the web app manifest that lets a volunteer add the portal to
their home screen."""
import hashlib

from flask import Blueprint, abort, jsonify, make_response, url_for

from .models import Branding, Organisation

bp = Blueprint("brand", __name__)
YEAR = 365 * 24 * 3600
TYPES = {"png": "image/png", "svg": "image/svg+xml"}
# An SVG opened on its own is a document: nothing in it may run or load, whatever slipped through.
SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


def _cached(response, versioned):
    response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable" if versioned else "no-cache"
    return response


@bp.route("/logo")
def logo():
    brand = Branding.current()
    if not brand.logo_type:
        abort(404)
    response = make_response(bytes(brand.logo))
    response.mimetype = TYPES[brand.logo_type]
    if brand.logo_type == "svg":
        response.headers["Content-Security-Policy"] = SVG_CSP
    return _cached(response, True)


@bp.route("/brand.css")
def stylesheet():
    accent = Branding.face().accent
    css = (f":root {{ --link: {accent}; --accent: {accent}; }}\n"
           f".navbar {{ border-bottom: 4px solid {accent}; }}\n") if accent else ""
    response = make_response(css)
    response.mimetype = "text/css"
    return _cached(response, True)


@bp.route("/manifest.webmanifest")
def manifest():
    org, brand = Organisation.current(), Branding.face()
    if brand.logo_type:
        icons = [{"src": url_for("brand.logo", v=brand.logo_version), "type": TYPES[brand.logo_type],
                  "sizes": "any" if brand.logo_type == "svg" else "512x512", "purpose": "any"}]
    else:
        icons = [{"src": url_for("static", filename=f"icon-{n}.png"), "type": "image/png", "sizes": f"{n}x{n}"}
                 for n in (192, 512)]
    response = jsonify(name=f"{org.short_name} CERVIS", short_name=org.short_name[:12] or "CERVIS",
                       description=f"{org.name}: volunteer portal", start_url=url_for("volunteer.home"),
                       scope="/", display="standalone", background_color="#ffffff",
                       theme_color=brand.accent or "#111111", icons=icons)
    response.mimetype = "application/manifest+json"
    return _cached(response, False)


def version(brand):
    """A short tag for the stylesheet's address: a new colour, a new address."""
    return hashlib.sha256(brand.accent.encode()).hexdigest()[:8]


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals.update(brand=Branding.face, brand_version=version)
