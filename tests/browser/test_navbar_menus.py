"""The black bar: one row no taller than 56 px on a phone, the guide's drop-downs in one row at
1,280 px for every role, one menu open at a time with or without JavaScript."""

import pytest
from conftest import log_in
from playwright.sync_api import expect

PEOPLE = {"vera@example.org": 4, "leo@example.org": 5, "ada@example.org": 6}  # drop-downs each sees
BAR = """(() => { const bar = document.querySelector('header.navbar');
  const tops = [...bar.querySelectorAll('a.nav-home, summary')].filter(el => el.offsetParent)
    .map(el => Math.round(el.getBoundingClientRect().top));
  return {height: bar.getBoundingClientRect().height, rows: new Set(tops).size}; })()"""


def open_menus(page):
    return page.locator("details.dropdown[open]")


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 800)])
def test_the_bar_is_one_row_for_every_role_and_keeps_one_menu_open_without_javascript(
    browser, live_server, width, height
):
    for email, menus in PEOPLE.items():
        context = browser.new_context(
            viewport={"width": width, "height": height}, base_url=live_server, java_script_enabled=False
        )
        page = context.new_page()
        log_in(page, email)
        bar = page.evaluate(BAR)
        assert bar["rows"] == 1, (email, width, bar)
        summaries = page.locator("header.navbar summary:visible")
        if width < 400:
            assert bar["height"] <= 56, (email, bar)
            expect(summaries).to_have_count(2)
            expect(summaries.first).to_have_text("Volunteer Portal Menu")
        else:
            expect(summaries).to_have_count(menus + 1)  # the guide's drop-downs and the person icon
        summaries.first.click()
        summaries.last.click()  # the person menu: the other closes, by the browser alone
        expect(open_menus(page)).to_have_count(1)
        assert page.get_by_role("button", name="Sign Out").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (email, width)
        context.close()


def test_the_phone_menu_lists_every_section_and_escape_or_a_tap_elsewhere_closes_it(phone):
    log_in(phone)
    phone.get_by_text("Volunteer Portal Menu", exact=True).first.click()
    for link in ("Sign up / Apply for an Upcoming Opportunity", "View Posted Documents", "Change Password"):
        expect(phone.get_by_role("link", name=link, exact=True).first).to_be_visible()
    phone.keyboard.press("Escape")
    expect(open_menus(phone)).to_have_count(0)
    phone.locator("header summary:visible").last.click()
    phone.get_by_role("heading", name="Volunteer Portal Home").click()
    expect(open_menus(phone)).to_have_count(0)
