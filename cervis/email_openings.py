"""Each kind of email's opening paragraph: ours by default, an administrator's own once edited."""
from .models import EmailOpening

DEFAULTS = {
    "shift-bookings-launched": (
        "Shift bookings are open for the month below. Please offer for the shifts you can do before "
        "the offer deadline; your group leaders then make the rota, and you will receive a "
        "confirmation email for each shift you are registered for."),
    "more-shifts-added": "More shifts have been added to a month that is already open for offers.",
    "offer-deadline": (
        "The offer deadline for the month below is near, and you have not offered for any of its "
        "shifts yet. If you can help, please offer for the shifts you can do before the deadline."),
}


def opening(kind, org):
    """The paragraph; '{organisation}' in it becomes the organisation's name."""
    row = EmailOpening.get_or_none(EmailOpening.kind == kind)
    text = row.text if row is not None else DEFAULTS.get(kind, "")
    return text.replace("{organisation}", org.name)
