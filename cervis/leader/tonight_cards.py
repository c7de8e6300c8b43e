"""The part of Tonight's night card that every night has: the opportunity and its links, each role's
places, the shift leader and the Reserves. Written here rather than in the template: a wall screen's
80 nights and 160 roles were some 2,000 escapes and 300 macro calls in Jinja, a quarter of the page.
What few nights have (cover, late cancellations, "Who came?") stays in leader/_tonight_night.html.
"""

from markupsafe import Markup, escape

from ..translated import N_

WORDS = {
    "slots": N_("Slots"),
    "leader": N_("Shift leader:"),
    "no_leader": N_("No shift leader"),
    "reserves": N_("Reserves:"),
}


def cards(board, catalogue):
    """Each night's card, in the page's language. Every value that is not Markup is escaped; plain
    f-strings, since Markup.format's escaping formatter cost more than the template it replaces."""
    # As {% trans %} has them: the catalogue's words are the page's own, not escaped again.
    words = {name: catalogue.ugettext(text) for name, text in WORDS.items()}
    for venue in board.venues:
        for night in (n for nights in venue.nights.values() for n in nights):
            night.card = Markup(_card(night, words))
    return board


def _card(night, words):
    times = f' <span class="hint">{escape(night.times)}</span>' if night.times else ""
    card = (
        f'<p class="tonight-opportunity"><a href="{escape(night.rota)}">{escape(night.opportunity.name)}</a>{times}'
        f' <span class="hint">· <a href="{escape(night.slots)}">{words["slots"]}</a></span></p>'
        '\n<ul class="tonight-roles">'
    )
    for place in night.places:
        times = f' <span class="hint">{escape(place.times)}</span>' if place.times else ""
        card += (
            f'\n<li class="{"short" if place.short else "full"}"><a href="{escape(place.link)}">'
            f"{escape(place.role.name)}</a>{times} <b>{place.figures}</b> {place.state}</li>"
        )
    if night.shift_leaders:
        card += f"\n</ul>\n<p>{words['leader']} {_people(night.shift_leaders)}</p>"
    else:
        card += f'\n</ul>\n<p><strong class="tonight-short">{words["no_leader"]}</strong></p>'
    if night.reserves:
        card += f"\n<p>{words['reserves']} {_people(night.reserves)}</p>"
    return card


def _people(people):
    return "; ".join(
        f'{escape(p.name)}, <a href="tel:{escape(p.dial)}">{escape(p.phone)}</a>' if p.phone else escape(p.name)
        for p in people
    )
