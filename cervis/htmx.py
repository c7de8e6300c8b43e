"""The one switch between a fragment for htmx and a full page or redirect for a plain form."""
from flask import flash, make_response, redirect, render_template, request


def is_htmx():
    return request.headers.get("HX-Request") == "true"


def is_background():
    """A request the page makes by itself (the idle check), which is not activity."""
    return request.headers.get("X-Cervis-Background") == "1"


def vary(response):
    response.vary.add("HX-Request")
    return response


def done(fragment, location, message=None, category="success", **context):
    """After a successful action: the fragment (with its banner) to htmx, else flash and 303."""
    if is_htmx():
        return vary(make_response(render_template(fragment, message=message, category=category, **context)))
    if message:
        flash(message, category)
    return vary(redirect(location, code=303))
