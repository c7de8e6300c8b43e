"""What a phone downloads besides the page: static files under content-hashed names, kept for a
year, everything compressed (/favicon.ico, drawn from the logo, is brand_pages').

url_for("static", filename="cervis.css") gives /static/cervis.<hash>.css: a changed file gets a new
name, so a browser may keep each one for a year without asking again. The plain name still works.
Compression (Brotli, zstd or gzip, as the browser's Accept-Encoding allows) is flask-compress's.
"""

import gzip
import hashlib
from pathlib import Path

from flask import request, send_from_directory
from flask_compress import Compress

YEAR = 365 * 24 * 3600


def hashed_names(folder: Path):
    """{file name: name with the first 10 hex digits of its SHA-256 before the extension}."""
    names = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            name = path.relative_to(folder).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            stem, dot, ext = name.rpartition(".")
            names[name] = f"{stem}.{digest}.{ext}" if dot else f"{name}.{digest}"
    return names


def init_app(app):
    folder = Path(app.static_folder)
    names = hashed_names(folder)
    real = {hashed: name for name, hashed in names.items()}

    @app.url_defaults
    def _hashed(endpoint, values):
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    def static(filename):
        if filename in real:
            response = _whole(send_from_directory(folder, real[filename], max_age=YEAR))
            response.cache_control.public = True
            response.cache_control.immutable = True
            return _packed(response, filename)
        return _whole(send_from_directory(folder, filename))

    app.view_functions["static"] = static
    app.config.setdefault(
        "COMPRESS_MIMETYPES",
        [
            "text/html",
            "text/css",
            "text/javascript",
            "application/javascript",
            "application/json",
            "image/svg+xml",
            "text/calendar",
            "text/csv",
        ],
    )
    # Streamed answers stay as they are: flask-compress's streaming leaves the file open.
    app.config.setdefault("COMPRESS_STREAMS", False)
    Compress(app)


_PACKED = {}  # (hashed file name, encoding): its bytes compressed once, at the highest level
PACKABLE = {"text/css", "text/javascript", "application/javascript", "image/svg+xml"}


def _packed(response, name):
    """A file that never changes under its name, compressed once at the highest level and then
    served from memory: htmx is 15.3 KB as sent, not 17.4 (Brotli 11, not flask-compress's 4,
    which suits pages made afresh), the stylesheet 5.8, not 7.0. Others are left to flask-compress."""
    offered = _accepted(request.headers.get("Accept-Encoding", ""))
    encoding = "br" if "br" in offered else "gzip" if "gzip" in offered else None
    if encoding is None or response.status_code != 200 or response.mimetype not in PACKABLE:
        return response
    if (name, encoding) not in _PACKED:
        data = response.get_data()
        if encoding == "br":
            import brotli  # flask-compress's own dependency

            _PACKED[(name, encoding)] = brotli.compress(data, quality=11)
        else:
            _PACKED[(name, encoding)] = gzip.compress(data, 9, mtime=0)
    response.set_data(_PACKED[(name, encoding)])
    response.headers["Content-Encoding"] = encoding  # flask-compress leaves an encoded answer alone
    response.vary.add("Accept-Encoding")
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak)
    return response


def _accepted(header):
    """The encodings an Accept-Encoding header allows: named, and not with a quality of 0."""
    allowed = set()
    for part in header.split(","):
        name, _, params = part.partition(";")
        quality = params.strip()[2:] if params.strip().startswith("q=") else "1"
        try:
            if float(quality) > 0:
                allowed.add(name.strip().lower())
        except ValueError:
            continue  # a malformed quality: as if not offered
    return allowed


def _whole(response):
    """A static file read at once and closed, so it is compressed whole (static files are small)."""
    if response.direct_passthrough:
        wrapper = response.response
        try:
            data = b"".join(wrapper)
        finally:
            getattr(wrapper, "close", lambda: None)()
        response.direct_passthrough = False
        response.set_data(data)
    return response
