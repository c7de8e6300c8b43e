"""The "iCal" link of a confirmation email: a signed link, opened without logging in."""

from flask import abort, make_response

from ..calendar_links import ics, registration_id_from
from ..models import REGISTERED, Opportunity, Registration, Role, Slot
from . import bp


@bp.route("/calendar/<token>.ics")
def ical(token):
    registration_id = registration_id_from(token)
    registration = (
        None
        if registration_id is None
        else (
            Registration.select(Registration, Slot, Role, Opportunity)
            .join(Slot)
            .join(Role)
            .switch(Slot)
            .join(Opportunity)
            .where(Registration.id == registration_id)
            .first()
        )
    )
    # A cancelled or moved registration has no event to add: say "not found", never what it was.
    if registration is None or registration.status != REGISTERED:
        abort(404)
    response = make_response(ics(registration))
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="shift-{registration.id}.ics"'
    response.headers["Cache-Control"] = "no-store"
    return response
