"""Three pages on a 360 px phone: View or Print Volunteer Activity History reads like its table
(each value named, "3 hours", nothing sideways), Complete Rota's "Slots still short" keeps its
dates readable, and "Who came?" says "Attendance saved." once, with and without JavaScript;
axe-core finds nothing on any of them."""

from datetime import date

import pytest
from conftest import log_in
from helpers_rota import MONTH, night, offer, opportunity, user
from helpers_accessibility import Audit
from helpers_attendance import a_night

from cervis.models import Group, ServiceRecord

LONG_WORD = "Supercalifragilisticexpialidocious-and-then-some-more-letters"
FITS = "document.documentElement.scrollWidth <= window.innerWidth"
SIDEWAYS = """[...document.querySelectorAll('.table-wrap')].filter(el => el.scrollWidth > el.clientWidth)
  .map(el => el.scrollWidth + ' in ' + el.clientWidth)"""
# The text of each element matching the selector, as the eye sees it: line by line.
LINES = """selector => [...document.querySelectorAll(selector)].map(el => {
  const range = document.createRange(); range.selectNodeContents(el);
  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
  return {text: el.innerText.trim(), lines: tops.size, width: el.getBoundingClientRect().width}; })"""


@pytest.fixture
def audit360(browser, live_server):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=live_server)
    yield Audit(context.new_page(), 360)
    context.close()


def test_history_names_each_value_says_hours_and_fits_the_phone(audit360, db):
    a_night()  # Vera cooked 3 hours, three nights ago
    ServiceRecord.create(
        volunteer=user("vera@example.org"),
        group=Group.get(Group.name == "Northside"),
        day=date(2024, 2, 1),
        minutes=60,
        description=f"Sorted {LONG_WORD} donations",
    )
    page = audit360.page
    log_in(page, "vera@example.org")
    audit360.visit("/portal/history")
    rows = page.locator("table.history tbody tr")
    assert rows.count() == 2
    for label in ("Date/Time", "Activity", "Group", "Hours"):
        assert rows.first.get_by_text(label).is_visible(), label  # each value named on the phone
    assert rows.first.get_by_text("3 hours").is_visible()
    assert rows.last.get_by_text("1 hour", exact=True).is_visible()
    assert page.evaluate(FITS) and not page.evaluate(SIDEWAYS), page.evaluate(SIDEWAYS)
    audit360.assert_clean()


def test_complete_rota_keeps_the_short_slots_dates_readable(audit360, db):
    opp = opportunity()
    for day in (5, 12, 19):
        night(day, "Cook", capacity=2)
    offer(user("vera@example.org"), night(26, "SL"))
    page = audit360.page
    log_in(page, "leo@example.org")
    audit360.visit(f"/leader/opportunities/{opp.id}/rota/complete?month={MONTH}")
    dates = page.evaluate(LINES, "#rota-complete table tbody td:first-child")
    assert len(dates) == 4
    for cell in dates:  # "Thu, Feb 5, 2026 - 6:00 PM to 9:00 PM": two lines at most, not a letter column
        assert cell["lines"] <= 2 and cell["width"] > 200, cell
    assert page.get_by_text("Registered: 0 / 2").first.is_visible()
    assert page.evaluate(FITS)
    audit360.assert_clean()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_who_came_says_attendance_saved_once(browser, live_server, db, javascript):
    _, url = a_night()
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server, java_script_enabled=javascript
    )
    page = context.new_page()
    log_in(page, "leo@example.org")
    page.goto(url)
    page.get_by_role("button", name="Save").click()
    page.locator("#answer", has_text="Attendance saved.").wait_for()
    count = page.get_by_text("Attendance saved.").count()
    audit = Audit(page, 360)
    if javascript:  # axe-core runs inside the page: only where the page runs scripts
        audit.check("Who came? after Save")
    context.close()
    assert count == 1
    audit.assert_clean()
