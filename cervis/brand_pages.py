"""The organisation's face for browsers: its logo, its accent colour as a stylesheet (no inline
style: the CSP forbids it) and the web app manifest that lets a volunteer add the portal to
their home screen."""

from flask_babel import gettext
import functools
import hashlib
import io

from flask import Blueprint, abort, current_app, jsonify, make_response, request, url_for
from PIL import Image

from .models import Branding, Organisation

bp = Blueprint("brand", __name__)
YEAR = 365 * 24 * 3600
TYPES = {"png": "image/png", "svg": "image/svg+xml"}
ICON_SIZES = (192, 512)
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
    css = (
        (f":root {{ --link: {accent}; --accent: {accent}; }}\n.navbar {{ border-bottom: 4px solid {accent}; }}\n")
        if accent
        else ""
    )
    response = make_response(css)
    response.mimetype = "text/css"
    return _cached(response, True)


def _icon_source():
    """The PNG the icons are drawn from: the charity's PNG logo, else the house (an SVG needs a renderer)."""
    brand = Branding.current()
    if brand.logo_type == "png":
        return bytes(brand.logo)
    with open(f"{current_app.static_folder}/icon-512.png", "rb") as house:
        return house.read()


@functools.lru_cache(maxsize=16)
def _drawn(source, size, kind):
    """The logo centred on a white square; a maskable icon keeps it in the middle 80% (the safe zone)."""
    logo = Image.open(io.BytesIO(source)).convert("RGBA")
    inner = int(size * 0.8) if kind == "maskable" else size
    logo.thumbnail((inner, inner))
    square = Image.new("RGBA", (size, size), "white")
    square.alpha_composite(logo, ((size - logo.width) // 2, (size - logo.height) // 2))
    out = io.BytesIO()
    if kind == "ico":
        square.save(out, "ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    else:
        square.convert("RGB").save(out, "PNG", optimize=True)
    return out.getvalue()


@bp.route("/icon.png")
def icon():
    size, kind = request.args.get("size", type=int), request.args.get("purpose", "any")
    if size not in ICON_SIZES or kind not in ("any", "maskable"):
        abort(404)
    response = make_response(_drawn(_icon_source(), size, kind))
    response.mimetype = "image/png"
    return _cached(response, True)


@bp.route("/favicon.ico")
def favicon():
    response = make_response(_drawn(_icon_source(), 48, "ico"))
    response.mimetype = "image/vnd.microsoft.icon"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def icon_url(size, kind="any"):
    return url_for("brand.icon", size=size, purpose=kind, v=Branding.face().logo_version)


def site_name(org):
    return org.site_name


@bp.route("/manifest.webmanifest")
def manifest():
    org = Organisation.current()
    about = gettext("%(name)s: volunteer portal", name=org.name)
    return _manifest("/", site_name(org), org.short_name[:12] or "CERVIS", about, "volunteer.home")


@bp.route("/tonight.webmanifest")
def tonight_manifest():
    """Tonight on a coordinator's home screen: its own app, opening at its own short address."""
    org = Organisation.current()
    name = gettext("Tonight · %(site)s", site=site_name(org))
    about = gettext("%(name)s: every venue tonight", name=org.name)
    return _manifest("/tonight", name, gettext("Tonight"), about, "views.tonight")


def _manifest(app_id, name, short_name, description, start):
    brand = Branding.face()
    icons = [
        {"src": icon_url(n, kind), "type": "image/png", "sizes": f"{n}x{n}", "purpose": kind}
        for kind in ("any", "maskable")
        for n in ICON_SIZES
    ]
    if brand.logo_type == "svg":
        icons.append(
            {"src": url_for("brand.logo", v=brand.logo_version), "type": TYPES["svg"], "sizes": "any", "purpose": "any"}
        )
    response = jsonify(
        id=app_id,
        name=name,
        short_name=short_name,
        description=description,
        start_url=url_for(start),
        scope="/",
        display="standalone",
        background_color="#ffffff",
        theme_color=brand.accent or "#111111",
        icons=icons,
    )
    response.mimetype = "application/manifest+json"
    return _cached(response, False)


def version(brand):
    """A short tag for the stylesheet's address: a new colour, a new address."""
    return hashlib.sha256(brand.accent.encode()).hexdigest()[:8]


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals.update(brand=Branding.face, brand_version=version, icon_url=icon_url, site_name=site_name)
