"""Each action says its answer once, where the person is looking (cervis/htmx.py): beside the
control that was pressed, never again in the banner above the page, with or without JavaScript."""

import html
import re
from pathlib import Path

from helpers_rota import night, offer, opportunity, user
from helpers_attendance import a_night

from cervis.models import REGISTERED

HTMX = {"HX-Request": "true"}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def said(page, words):
    return html.unescape(page).count(words)


def test_who_came_says_attendance_saved_once_without_javascript(auth, client, db):
    regs, url = a_night()
    auth.login("leo@example.org")
    page = client.post(url, data={"registration": [r.id for r in regs.values()]}, follow_redirects=True)
    assert said(page.get_data(as_text=True), "Attendance saved.") == 1
    assert 'id="answer"' in page.get_data(as_text=True)  # beside Save, where the redirect lands


def test_who_came_says_attendance_saved_once_with_javascript(auth, client, db):
    regs, url = a_night()
    auth.login("leo@example.org")
    fragment = client.post(url, headers=HTMX, data={"registration": [r.id for r in regs.values()]})
    assert said(fragment.get_data(as_text=True), "Attendance saved.") == 1


def test_closing_a_slot_and_recording_service_say_their_answers_once_without_javascript(auth, client, db):
    opp = opportunity()
    slot = night(3, "Cook")
    auth.login("leo@example.org")
    page = client.post(f"/leader/slots/{slot.id}/close", follow_redirects=True).get_data(as_text=True)
    assert said(page, "Slot closed") == 1
    auth.logout()
    auth.login("vera@example.org")
    page = client.post(
        "/portal/service",
        data={"day": "2024-02-01", "hours": "2", "group": opp.group_id, "description": "Sorted the clothes store"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert said(page, "has been recorded") == 1


def test_an_answer_whose_page_has_no_place_for_it_stays_in_the_top_banner(auth, client, db):
    offer(user("vera@example.org"), night(4, "SL"), status=REGISTERED)
    auth.login("leo@example.org")
    page = client.post(
        f"/leader/groups/{opportunity().group_id}/edit",
        data={"name": "Northside", "description": ""},
        follow_redirects=True,
    )
    text = page.get_data(as_text=True)
    assert said(text, "The group's details have been updated.") == 1
    banner = re.search(r'<div class="banner banner-success"[^>]*>The group', text).group(0)
    assert 'id="answer"' in banner and 'role="status"' in banner


def test_every_fragment_draws_its_answer_before_the_banner_copy_it_leaves_out():
    """The banner leaves out an answer already drawn beside its control: so it must come after."""
    late = []
    for template in TEMPLATES.rglob("_*.html"):
        text = template.read_text()
        if "_oob_banners.html" in text and "answer(" in text:
            if text.index("_oob_banners.html") < text.index("{{ answer("):
                late.append(template.name)
    assert not late, late
