"""Arranging a waiting list: a Full Cook slot ten days ahead, held by Mo, and the links in its e-mails."""

import re
from datetime import timedelta

from helpers_cover import member
from helpers_registrations import register, shift


def full_cook(starts_in=timedelta(days=10), capacity=1, holder="Mo"):
    """Northside's Cook slot, Full: Mo holds its place (and Ann its second one, at capacity 2)."""
    cook = shift("Cook", starts_in=starts_in, capacity=capacity)
    places = [register(member(f"{holder.lower()}@example.org", holder), cook)]
    if capacity == 2:
        places.append(register(member("ann@example.org", "Ann"), cook))
    return cook, places


def join_form(volunteer, slot):
    return {"volunteer": volunteer.id, "opportunity": slot.opportunity_id, "wait": [slot.id]}


def join(client, volunteer, slot):
    return client.post("/portal/signup/slots", data=join_form(volunteer, slot))


def link_in(email, path):
    return re.search(rf"http://localhost(/portal/{path}/\S+)", email.body_text).group(1)
