"""Each kind of email's opening paragraph: ours by default, an administrator's own once edited."""

from .translated import lazy, lazy_gettext
from .models import EmailOpening

DEFAULTS = {
    # Kinds whose first paragraph is ours and fixed; the other kinds have none unless an
    # administrator writes one (it then comes before their first paragraph).
    "confirmation": lazy_gettext("Thank you for volunteering to serve with {organisation}."),
    "offer-acknowledgement": lazy_gettext("Thank you for offering to serve with {organisation}."),
    "confirmation-withdrawn": (
        lazy_gettext(
            "A change of plan: please disregard the confirmation we sent you for the shift below. You are "
            "not registered for it at the moment; your offer is pending again, and we will email you as "
            "soon as the rota is settled."
        )
    ),
    "removed": (
        lazy_gettext(
            "We have had to cancel your registration for the shift below, so you are no longer "
            "registered for it and we will not be expecting you."
        )
    ),
    "welcome": lazy_gettext(
        "Thank you for volunteering with {organisation}. Your CERVIS account is ready: this is "
        "where you offer shifts and keep your details up to date."
    ),
    "shift-bookings-launched": (
        lazy_gettext(
            "Shift bookings are open for the shifts below. Please offer for the shifts you can do before "
            "the offer deadline; your group leaders then make the rota, and you will receive a "
            "confirmation email for each shift you are registered for."
        )
    ),
    # An administrator may rewrite it on the email kinds page: it is the whole of the decline e-mail.
    "application-declined": lazy_gettext(
        "Thank you for applying to volunteer with {organisation}, and for the time you gave it. We are "
        "sorry that we are not able to take your application further at the moment. This is no reflection "
        "on the kindness of your offer, and we wish you well."
    ),
    "more-shifts-added": lazy_gettext("More shifts have been added to a month that is already open for offers."),
    "offer-deadline": (
        lazy_gettext(
            "The offer deadline for the shifts below is near, and you have not offered for any of them "
            "yet. If you can help, please offer for the shifts you can do before the deadline."
        )
    ),
}


def opening(kind, org):
    """The paragraph; '{organisation}' in it becomes the organisation's name."""
    row = EmailOpening.get_or_none(EmailOpening.kind == kind)
    if row is not None:
        return row.text.replace("{organisation}", org.name)
    # Ours is translated as each e-mail is rendered, in its reader's language.
    return lazy(lambda: str(DEFAULTS.get(kind, "")).replace("{organisation}", org.name))
