"""Sign up / Apply for an Upcoming Opportunity: Step 1 (who), Step 2 (which opportunity), Step 3 (which slots).

The rules (what a volunteer sees, who may offer for what) live in cervis.offers; these views
only fetch what is asked for this user, call one of them, and answer htmx or a plain form.
"""

from flask_babel import gettext, ngettext
from ..translated import lazy_gettext, plain
from itertools import groupby

from flask import abort, flash, make_response, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup

from .. import offers, registering, waiting_list
from ..db import utcnow
from ..htmx import answer_now, answered, is_htmx, vary
from ..models import Opportunity, OpportunityInterest
from ..months import parse_month
from ..permissions import as_id
from ..timeutil import parse_day, slot_when
from . import bp
from .signup_find import search_filters, volunteer_for


def submitted():
    """The guide's answer to Register, with its bold first sentence."""
    return Markup(
        gettext(
            "<strong>Registration Request Submitted Successfully.</strong> Please check your E-mail for "
            "additional details. If you would like to sign up for an additional opportunity, please select "
            'one from the "Select an Available Opportunity" section below or click "Portal Home" for more '
            "options."
        )
    )


NOTHING_TICKED = lazy_gettext('Please tick at least one slot, then click "Register".')
NO_OPPORTUNITY = lazy_gettext('Please select an opportunity under "Step 2: Select an Available Opportunity Below".')
NOTE_TOO_LONG = lazy_gettext("Please keep the note under %(most)s characters.", most=f"{registering.NOTE_MAX:,}")
ALREADY = lazy_gettext("You have already offered for what you selected: nothing else was needed.")
TRAINING_NEEDED = lazy_gettext(
    "Some slots need training or checks you do not hold on their date: see My Training and Checks "
    "on your profile for what to do, or ask your group's leader."
)

AWAY_THEN = lazy_gettext(
    'You told us you are away on some of these dates: if your plans change, remove them on "I\'m Away".'
)


def opportunity_for(volunteer, opportunity_id, now):
    """An opportunity this volunteer may see; 404 otherwise, so a hidden one never shows it exists."""
    opportunity_id = as_id(opportunity_id)
    opportunity = Opportunity.get_or_none(Opportunity.id == opportunity_id) if opportunity_id else None
    if opportunity is None or not offers.can_see(volunteer, opportunity, now):
        abort(404)
    return opportunity


def _fragment(template, **context):
    # htmx swaps only 2xx answers: a refusal comes back 200 too, its red banner says what went wrong.
    return vary(make_response(render_template(template, **context)))


def _page(template, status=200, **context):
    return vary(make_response(render_template(template, **context), status))


@bp.route("/signup")
@login_required
def signup():
    user = current_user._get_current_object()
    volunteer = volunteer_for(user, request.args.get("volunteer"))
    return _signup_page(user, volunteer, selected=request.args.get("opportunity", type=int))


def _signup_page(user, volunteer, selected=None, status=200, error=None, notes=None):
    search, filters = search_filters(volunteer, request.args)
    context = dict(
        volunteer=volunteer,
        household=user.household(),
        selected=selected,
        listings=offers.open_opportunities(volunteer, utcnow(), **filters),
        search=search,
        searching=bool(filters) or bool(search.errors),
        error=error,
        notes=notes or {},
        message=error,
        category="error",
    )
    if is_htmx() and request.headers.get("HX-Target") == "opportunities":
        return _fragment("volunteer/_opportunities.html", **context)
    if is_htmx() and error:
        return _fragment("volunteer/_slots_error.html", message=error, category="error")
    return _page("volunteer/signup.html", status, **context)


@bp.route("/signup/opportunity/<int:opportunity_id>")
@login_required
def signup_details(opportunity_id):
    """ "Click here to learn more (Optional)": the opportunity's details, in place or as a page."""
    volunteer = volunteer_for(current_user._get_current_object(), request.args.get("volunteer"))
    now = utcnow()
    opportunity = opportunity_for(volunteer, opportunity_id, now)
    context = dict(
        volunteer=volunteer,
        opportunity=opportunity,
        listing=offers.listing(opportunity, now),
        interests=[
            link.category.name
            for link in OpportunityInterest.select().where(OpportunityInterest.opportunity == opportunity)
        ],
    )
    if is_htmx():
        return _fragment("volunteer/_opportunity_details.html", **context)
    return _page("volunteer/signup_details.html", **context)


@bp.route("/signup/slots")
@login_required
def signup_slots():
    """Step 3: "Select an Available Slot Below" for the chosen opportunity."""
    user = current_user._get_current_object()
    volunteer = volunteer_for(user, request.args.get("volunteer"))
    chosen = request.args.get("choose") or request.args.get("opportunity")
    notes = {as_id(k[5:]): v for k, v in request.args.items() if k.startswith("note_") and as_id(k[5:])}
    if not chosen:
        return _signup_page(user, volunteer, status=400, error=NO_OPPORTUNITY, notes=notes)
    opportunity = opportunity_for(volunteer, chosen, utcnow())
    note = _note(opportunity)
    return _slots_answer(volunteer, opportunity, note, parse_day(request.args.get("day")))


def _note(opportunity):
    """The note of Step 2a's box above the table (note_<id>), or of the table's own box."""
    return request.values.get(f"note_{opportunity.id}", request.values.get("note", ""))


def _slots_answer(volunteer, opportunity, note, day, status=200, error=None, ticked=()):
    month = None if day else parse_month(request.values.get("month"))  # an announcement's link
    rows = offers.slot_rows(volunteer, opportunity, utcnow(), day=day, month=month)
    days = [list(same) for _, same in groupby(rows, key=lambda row: row.when.partition(" - ")[0])]
    context = dict(
        volunteer=volunteer,
        opportunity=opportunity,
        rows=rows,
        days=days,
        note=note,
        day=day,
        month=month,
        error=error,
        ticked=set(ticked),
        waiting=waiting_list.places([volunteer.id], [r.slot.id for r in rows]),
        # On the sign-up page after Step 3, Step 2a's box is above: the table sends that one.
        note_above=is_htmx() and f"note_{opportunity.id}" in request.values,
        reasons=list(dict.fromkeys(r.why_not for r in rows if r.why_not and not r.status))
        + ([TRAINING_NEEDED] if any(r.training and not r.status for r in rows) else [])
        + ([AWAY_THEN] if any(r.away and not r.status for r in rows) else []),
    )
    if is_htmx():
        return _fragment("volunteer/_slots_answer.html", **context)
    return _page("volunteer/signup_slots.html", status, **context)


@bp.route("/signup/slots", methods=["POST"])
@login_required
def signup_register():
    """ "Register": one offer per ticked slot, in one transaction, and one acknowledgement e-mail."""
    user = current_user._get_current_object()
    now = utcnow()
    volunteer = volunteer_for(user, request.form.get("volunteer"))
    opportunity = opportunity_for(volunteer, request.form.get("opportunity"), now)
    raw, wait = request.form.getlist("slot"), request.form.getlist("wait")
    if not all(as_id(value) for value in raw + wait):
        abort(400)
    note = _note(opportunity).strip()
    day = parse_day(request.form.get("day"))
    if not (raw or wait) or len(note) > registering.NOTE_MAX:
        error = NOTE_TOO_LONG if raw else NOTHING_TICKED
        flash(plain(error), "error")
        answer_now(error, "error", "register")
        return _slots_answer(volunteer, opportunity, note, day, status=400, error=error, ticked=raw)
    try:
        result = registering.offer(user, volunteer, raw, note, now, opportunity=opportunity, waiting=wait)
    except offers.NotAllowed:
        abort(403)
    return _after_offer(volunteer, opportunity, note, day, result)


def _after_offer(volunteer, opportunity, note, day, result):
    """The answer beside Register; a plain form goes back to the list of opportunities, whose
    top banner (the guide's "section below") is then the answer."""
    if result.refused:
        flash(plain(_refused_message(result.refused)), "error")
        answer_now(_refused_message(result.refused), "error", "register")
    joined = _joined_message(result.waiting) if result.waiting else None
    success = submitted() if result.saved else (joined or plain(ALREADY))
    if result.saved and joined:
        success = Markup(" ").join([submitted(), joined])
    if result.saved and not is_htmx():
        return answered(url_for("volunteer.signup", volunteer=volunteer.id), success)
    if result.saved or not result.refused:
        flash(plain(success), "success")
        if not result.refused:
            answer_now(success, "success", "register")
    status = 409 if result.refused and not result.saved else 200
    return _slots_answer(volunteer, opportunity, "" if result.saved else note, day, status=status)


def _joined_message(slots):
    items = "; ".join(f"{slot_when(slot.starts_at, slot.ends_at)} {slot.role.name}" for slot in slots)
    return gettext(
        "You are on the waiting list for %(items)s. If a place comes free we will e-mail you; "
        'see your place in "View or Cancel Registration for an Upcoming Opportunity".',
        items=items,
    )


def _refused_message(refused):
    items = "; ".join(
        f"{slot_when(slot.starts_at, slot.ends_at)} {slot.role.name} ({reason})" for slot, reason in refused
    )
    if all(reason == offers.YOURE_AWAY for _, reason in refused):
        sorry = ngettext(
            "Sorry, this slot could not be offered: %(items)s.",
            "Sorry, these slots could not be offered: %(items)s.",
            len(refused),
            items=items,
        )
        return f"{sorry} {AWAY_THEN}"
    return ngettext(
        "Sorry, this slot could not be offered: %(items)s. Slots can fill up or close while you are choosing; "
        "please choose another.",
        "Sorry, these slots could not be offered: %(items)s. Slots can fill up or close while you are choosing; "
        "please choose another.",
        len(refused),
        items=items,
    )
