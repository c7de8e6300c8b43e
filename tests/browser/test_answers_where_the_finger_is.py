"""The answer where the finger is (cervis/htmx.py), on a 360 x 740 phone and a 1,280 x 800 screen,
with and without JavaScript: after each action the message is inside the screen and has the focus, for the
volunteer (Register, Cancel, record service), the leader (close a slot far down the list) and
the administrator (rename a list item, save the settings)."""

import pytest
from conftest import log_in
from helpers_rota import night, offer, opportunity, user

from cervis.models import REGISTERED

ON_SCREEN_AND_FOCUSED = """(() => { const el = document.activeElement;
  if (!el || el.id !== 'answer') return 'focus is on ' + (el ? el.outerHTML.slice(0, 80) : 'nothing');
  const box = el.getBoundingClientRect();
  if (box.top < 0 || box.bottom > innerHeight) return 'off the screen: ' + box.top + '..' + box.bottom;
  return ''; })()"""


def assert_answered(page, words):
    page.locator("#answer", has_text=words).wait_for()
    page.wait_for_function("document.activeElement && document.activeElement.id === 'answer'", timeout=5000)
    problem = page.evaluate(ON_SCREEN_AND_FOCUSED)
    assert not problem, f"{words}: {problem}"
    if words:  # said once: not again in the banner above the page
        assert page.locator(".banner:visible", has_text=words).count() == 1, words


@pytest.fixture(
    params=[(360, 740, True), (360, 740, False), (1280, 800, True), (1280, 800, False)],
    ids=["360-javascript", "360-no-javascript", "1280-javascript", "1280-no-javascript"],
)
def phone_js(request, browser, live_server):
    width, height, javascript = request.param
    context = browser.new_context(
        viewport={"width": width, "height": height}, base_url=live_server, java_script_enabled=javascript
    )
    yield context
    context.close()


def arrange():
    opp = opportunity()
    for day in range(1, 21):  # a long slot table and slot list: the last rows are far below the top
        night(day, "Cook")
        night(day, "Shift Asst")
    offer(user("vera@example.org"), night(22, "SL"), status=REGISTERED)
    return opp


def test_every_answer_is_on_screen_and_focused(phone_js, db):
    opp = arrange()
    page = phone_js.new_page()
    log_in(page, "vera@example.org")
    page.goto(f"/portal/signup/slots?opportunity={opp.id}")
    page.locator("#slots input[name=slot]").last.check()
    page.get_by_role("button", name="Register", exact=True).click()
    assert_answered(page, "Registration Request Submitted Successfully")

    page.goto("/portal/registrations")
    page.locator("input[name=registration]").last.check()
    page.get_by_role("button", name="Cancel selected registration(s)").click()
    assert_answered(page, "cancelled")

    page.goto("/portal/service")
    page.get_by_label("Date", exact=True).fill("2024-02-01")
    page.get_by_label("Hours", exact=True).fill("2")
    page.locator("#description").fill("Sorted the clothes store")
    page.get_by_role("button", name="Record Service Project Activity").click()
    assert_answered(page, "has been recorded")

    leader = phone_js.new_page()
    phone_js.clear_cookies()
    log_in(leader, "leo@example.org")
    leader.goto(f"/leader/opportunities/{opp.id}/slots")
    leader.locator("tr[id^=slot-] button", has_text="Close").last.click()
    assert_answered(leader, "Slot closed")

    phone_js.clear_cookies()
    admin = phone_js.new_page()
    log_in(admin, "ada@example.org")
    admin.goto("/admin/lists")
    admin.locator("section#list-interests").locator("button", has_text="Save").last.click()
    assert_answered(admin, "")
    admin.goto("/admin/settings")
    admin.get_by_role("button", name="Save Settings").click()
    assert_answered(admin, "Nothing was changed.")
