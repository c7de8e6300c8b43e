"""One small function per kind of e-mail the domain sends, as healthchecks has: each names its kind
(templates/emails/<kind>-subject.txt, -body.txt, -body.html) and is handed everything it says. The
rota board's and the passwords' kinds, and the outbox rows they all make, are emails.py's."""

from . import emails
from .models import Organisation


def _to(kind, reader, **context):
    """To a person, or to the charity's own address (an Organisation) when no leader can hear of it."""
    if isinstance(reader, Organisation):
        return emails.queue(kind, reader.contact_email, reader.name, user_first=reader.name, **context)
    return emails.to_user(kind, reader, **context)


# Offers, cancellations, cover and reminders ---------------------------------------------------------


def offer_acknowledgement(recipient, volunteer, shifts, note, about):
    """The new offers listed, to the volunteer or the parent who reads a family member's e-mail."""
    return emails.to_user(
        "offer-acknowledgement",
        recipient,
        volunteer=volunteer,
        for_family=recipient.id != volunteer.id,
        shifts=shifts,
        note=note,
        about=about,
    )


def cancellation_leader(reader, urgent, about, group, shifts, by, reason):
    """A volunteer cancelled: to a leader of the group, or the organisation when it has none."""
    return _to(
        "cancellation-leader", reader, urgent=urgent, about=about, group=group, shifts=shifts, by=by, reason=reason
    )


def cover_ask(inbox, volunteer, ask, link, shift):
    """Can you cover this place? To the volunteer asked, or the parent who reads their e-mail."""
    for_other = volunteer.name if inbox.id != volunteer.id else ""
    return emails.to_user("cover-ask", inbox, about=ask, for_other=for_other, link=link, **shift)


def cover_leaders(reader, request, **news):
    """Urgent news of a cover request (opened, filled, not filled) for a leader or the organisation."""
    return _to("cover-leaders", reader, urgent=True, about=request, **news)


def shift_reminder(key, recipient, registration, leader, cancel_link, send_after, stand_in_link=""):
    """The reminder before a confirmed shift, once per key; None when one was already queued."""
    slot = registration.slot
    return emails.once(
        key,
        "shift-reminder",
        recipient,
        send_after=send_after,
        reg=registration,
        slot=slot,
        volunteer=registration.volunteer,
        opportunity=slot.opportunity,
        role=slot.role,
        leader=leader,
        cancel_link=cancel_link,
        stand_in_link=stand_in_link,
        about=registration,
    )


def leader_message(key, reader, leader, subject, message, about, links):
    """A leader's message to their members, from the leader's name and answered to them; once per key."""
    return emails.once(
        key,
        "leader-message",
        reader,
        subject=subject,
        message=message,
        leader=leader,
        about=about,
        from_name=leader.name,
        reply_to=leader.email or "",
        **links,
    )


# The waiting list and stand-ins ----------------------------------------------------------------------


def _for_other(inbox, volunteer):
    """The volunteer's name when a parent reads their e-mail, else nothing."""
    return volunteer.name if inbox.id != volunteer.id else ""


def waiting_offer(inbox, volunteer, offer, link, until, shift):
    """A place freed: take it by the link before `until`, or it goes to the next on the list."""
    return emails.to_user(
        "waiting-offer", inbox, about=offer, for_other=_for_other(inbox, volunteer), link=link, until=until, **shift
    )


def stand_in_ask(inbox, volunteer, ask, asking, link, shift):
    """Can you stand in for `asking` (a first name)? To a qualified member free that night."""
    return emails.to_user(
        "stand-in-ask", inbox, about=ask, for_other=_for_other(inbox, volunteer), volunteer=asking, link=link, **shift
    )


def stand_in_volunteer(inbox, volunteer, registration, news, cancel_link, leader, shift, **context):
    """To the volunteer who asked: a stand-in was found (news "found"), or nobody by 24 hours before."""
    return emails.to_user(
        "stand-in-volunteer",
        inbox,
        about=registration,
        news=news,
        for_other=_for_other(inbox, volunteer),
        cancel_link=cancel_link,
        leader=leader,
        **shift,
        **context,
    )


def stand_in_leaders(reader, request, **news):
    """Urgent news of a stand-in (found, not found) for a leader, the shift leader or the organisation."""
    return _to("stand-in-leaders", reader, urgent=True, about=request, **news)


# Training, data protection ---------------------------------------------------------------------------


def qualification_expiring(key, inbox, grant, days, link):
    """A volunteer's qualification runs out in `days`; once per key."""
    return emails.once(
        key,
        "qualification-expiring",
        inbox,
        about=grant,
        volunteer=grant.volunteer,
        qualification=grant.qualification.name,
        expires_on=grant.expires_on,
        days=days,
        link=link,
    )


def qualification_digest(key, leader, group, expiring, places, link):
    """A group's weekly training news for one of its leaders; once per key."""
    return emails.once(
        key, "qualification-digest", leader, about=group, group=group, expiring=expiring, places=places, link=link
    )


def data_protection_reminder(admin, due, asked, years, link):
    return emails.to_user("data-protection-reminder", admin, due=due, asked=asked, years=years, link=link)


# Becoming a volunteer --------------------------------------------------------------------------------


def application_confirm(application, link):
    """Confirm your address: the link opens the applicant's own page."""
    return emails.queue(
        "application-confirm",
        application.email,
        application.first_name,
        about=application,
        user_first=application.first_name,
        link=link,
    )


def application_has_account(user, reset_link):
    """Someone applied with an active account's address: no need to apply, log in."""
    return emails.to_user("application-has-account", user, reset_link=reset_link)


def application_inactive_account(user):
    """Someone applied with a switched-off account's address: contact us (no log-in or reset link)."""
    return emails.to_user("application-inactive-account", user)


def application_declined(application):
    """The kind e-mail (its opening is the administrators' to write), once per application."""
    return emails.queue(
        "application-declined",
        application.email,
        application.first_name,
        about=application,
        key=f"application-declined:{application.id}",
        user_first=application.first_name,
    )


def _to_referee(kind, reference, applicant, link, key):
    return emails.queue(
        kind,
        reference.email,
        reference.name,
        key=key,
        about=reference,
        referee=reference,
        applicant=applicant,
        link=link,
    )


def reference_request(reference, applicant, link, key):
    """Would you give a reference? The link opens the short form."""
    return _to_referee("reference-request", reference, applicant, link, key)


def reference_reminder(reference, applicant, link, key):
    return _to_referee("reference-reminder", reference, applicant, link, key)


# Shift bookings launched: hundreds at once, so each kind gives a writer whose templates are read once.


def _announcement(kind):
    letters = emails.Letters(kind)

    def row(person, key, unsubscribe_link, context):
        """One member's row, rendered, not saved, with their own one-click unsubscribe link."""
        return letters.row(
            person.email,
            person.name,
            user=person,
            key=key,
            user_first=person.first_name,
            unsubscribe_link=unsubscribe_link,
            **context,
        )

    return row


def shift_bookings_launched():
    """A month (or several) of shifts is open for offers."""
    return _announcement("shift-bookings-launched")


def more_shifts_added():
    """More shifts in a month already open for offers."""
    return _announcement("more-shifts-added")


def offer_deadline():
    """The offer deadline is near, naming the open months the member offered for none of."""
    return _announcement("offer-deadline")
