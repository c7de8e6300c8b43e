"""The guide's "Logging in for the First Time", on a phone-sized Chromium."""

from conftest import TEMP
from helpers_profile import fill_profile

NEW_PASSWORD = "lantern river biscuit 42"


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_new_volunteer_logs_in_changes_temporary_password_and_completes_profile(phone):
    phone.goto("/login")
    assert phone.get_by_role("heading", name="WHC CERVIS Login").is_visible()
    phone.get_by_label("E-mail Address").fill("nia@example.org")
    phone.get_by_label("Password", exact=True).fill(TEMP)
    phone.get_by_role("button", name="Log in with E-mail").click()

    phone.wait_for_url("**/password")
    assert phone.get_by_role("heading", name="Change CERVIS Password").is_visible()
    assert fits_the_screen(phone)
    phone.get_by_label("New Password:*", exact=True).press_sequentially("password12", delay=10)
    meter = phone.locator("#strength")
    meter.get_by_text("Weak").wait_for()
    phone.get_by_label("New Password:*", exact=True).fill("")
    phone.get_by_label("New Password:*", exact=True).press_sequentially(NEW_PASSWORD, delay=10)
    meter.get_by_text("Strong").wait_for()
    phone.get_by_label("Confirm New Password:*").fill(NEW_PASSWORD)
    phone.get_by_role("button", name="Change Password").click()

    phone.wait_for_url("**/portal/profile*")
    assert phone.get_by_text("Your password has been changed.").is_visible()
    assert fits_the_screen(phone)
    complete_profile(phone)

    phone.wait_for_url("**/portal/*")
    assert phone.get_by_role("heading", name="Volunteer Portal Home").is_visible()
    assert fits_the_screen(phone)


def complete_profile(page):
    page.get_by_role("button", name="Verify Volunteer Information").click()
    page.locator("#answer", has_text="Please correct the fields marked below.").wait_for()  # nothing filled in yet
    assert fits_the_screen(page)
    fill_profile(page)
    page.get_by_role("button", name="Verify Volunteer Information").click()
