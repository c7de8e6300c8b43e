"""The API's description: the OpenAPI document, and the same drawn as a page (no script, no CDN)."""

from flask import render_template

from . import bp
from .openapi import DOCUMENT


@bp.route("/v1/openapi.json")
def openapi():
    return DOCUMENT


@bp.route("/docs")
def docs():
    return render_template("api/docs.html", doc=DOCUMENT, ref_name=lambda ref: ref.rsplit("/", 1)[-1])
