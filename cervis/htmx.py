"""The one switch between a fragment for htmx and a full page or redirect for a plain form, and
the answer where the finger is.

How to answer an action (the same with or without JavaScript):

    return done("leader/_slot_row.html", url_for("leader.slots", ...), "Slot closed.",
                target=f"slot-{slot.id}", slot=slot)

and, in the fragment, beside the control that was pressed (inside what htmx swaps):

    {% from "_answer.html" import answer %}
    {{ answer("slot-" ~ slot.id) }}

htmx gets the fragment: the message appears beside the control (role=status, or role=alert for an
error), htmx focuses it (it carries autofocus), and the top banner is emptied. A plain form gets a
flash and a 303 to location#answer: the page draws the same box where answer() is called with that
target, the browser scrolls to it and focuses it (a fragment target with tabindex=-1), and the top
banner leaves it out: the answer is said once. Without a target, or on a page with no place for it,
the top banner is the answer, and an htmx answer keeps the old unfocused banner. A view that only redirects (a saved
form, a new group) calls answered(location, message, target=...); one that draws a page or
fragment itself (a refusal, 4xx) calls answer_now(message, category, target) before rendering.
A form sent back with mistakes uses error_summary(form) from _form.html: the same id, focused.
"""

from flask import flash, g, make_response, redirect, render_template, request, session

from .translated import plain

ANSWER = "answer"  # the id of the one answer on a page, and the anchor a redirect lands on


def is_htmx():
    return request.headers.get("HX-Request") == "true"


def is_background():
    """A request the page makes by itself (the idle check), which is not activity."""
    return request.headers.get("X-Cervis-Background") == "1"


def vary(response):
    response.vary.add("HX-Request")
    return response


def done(fragment, location, message=None, category="success", target=None, **context):
    """After an action: the fragment (its answer beside the control, a copy in the top banner) to
    htmx, else flash and 303 to the answer on the page at location."""
    if is_htmx() and fragment:
        if target:  # without one (not yet adopted), the banner above the page answers, unfocused as before
            answer_now(message, category, target)
        return vary(make_response(render_template(fragment, message=message, category=category, **context)))
    return vary(redirect(_remember(location, message, category, target), code=303))


def answered(location, message=None, category="success", target=None):
    """A redirect that answers: the top banner, the answer beside target, landing on it
    (htmx: a full page load there, by HX-Redirect)."""
    location = _remember(location, message, category, target)
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return vary(response)
    return redirect(location, code=303)


def _remember(location, message, category, target):
    if not message:
        return location
    flash(plain(message), category)
    session["answer"] = {"message": plain(message), "category": category, "target": target}
    if target is None and "#" in location:
        return location  # the caller's own anchor on the item (the rota board's #slot-N)
    return location.split("#", 1)[0] + "#" + ANSWER


def answer_now(message, category="success", target=None):
    """The answer of a page or fragment drawn by this request itself (no redirect)."""
    if message:  # no message: the page may still show an answer a redirect brought
        g.answer = {"message": message, "category": category, "target": target}


def pending_answer():
    """The answer this page shows (taken once, like a flash), or None."""
    if "answer" not in g:
        g.answer = session.pop("answer", None)
    return g.answer


def answer_for(target):
    """The answer to show beside target, if the last action was answered there (marked shown, so
    the banner above leaves it out: base.html draws the page before its banner)."""
    answer = pending_answer()
    if answer and target and answer.get("target") == target:
        answer["shown"] = True
        return answer
    return None


def init_app(app):
    app.jinja_env.globals.update(answer_for=answer_for, pending_answer=pending_answer)
