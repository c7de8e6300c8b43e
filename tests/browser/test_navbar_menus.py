"""The black bar's menus on a phone: one open at a time, closed by Escape or a tap elsewhere."""
from conftest import PASSWORD
from playwright.sync_api import expect


def log_in(page, email="vera@example.org"):
    page.goto("/login")
    page.get_by_label("E-mail Address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in with E-mail").click()
    page.wait_for_url("**/portal/")


def open_menus(page):
    return page.locator("details.dropdown[open]")


def test_only_one_menu_is_open_and_escape_or_a_tap_elsewhere_closes_it(phone):
    log_in(phone)
    phone.get_by_text("Registration Management", exact=True).first.click()
    expect(open_menus(phone)).to_have_count(1)
    phone.locator("summary", has_text="Profile Management").click()
    expect(open_menus(phone)).to_have_count(1)
    expect(phone.locator("details.dropdown[open] summary")).to_have_text("Profile Management")
    phone.keyboard.press("Escape")
    expect(open_menus(phone)).to_have_count(0)
    phone.locator("summary", has_text="Account Management").click()
    phone.get_by_role("heading", name="Volunteer Portal Home").click()
    expect(open_menus(phone)).to_have_count(0)
