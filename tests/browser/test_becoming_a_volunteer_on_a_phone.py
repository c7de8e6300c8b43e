"""Issue 17's whole journey on a 360 px phone, with JavaScript and without: Alex applies online and
confirms the address from the e-mail, Rita and Rob answer through their e-mailed links, Leo marks the
induction and the agreement and approves, and Alex follows the guide's "Logging in for the First Time"
to the Volunteer Portal Home, which lists Alex's groups. No page scrolls sideways."""

import re

import pytest
from conftest import emails_to, log_in, serving, temp_password_in
from helpers_profile import fill_profile

from cervis.models import User

ALEX = "alex@example.net"
NEW_PASSWORD = "Lantern river 42"
REFEREES = (("Rita Referee", "rita@example.net", "My manager"), ("Rob Referee", "rob@example.net", "My teacher"))


@pytest.fixture
def own_server(app):
    with serving(app, range(19200, 19300)) as url:  # this work's own ports
        yield url


def link_in(address, kind, path):
    [email] = emails_to(address, kind)
    return re.search(rf"http://localhost({path}\S+)", email.body_text).group(1)


class Phone:
    """One person's browser: a 360 x 740 context, with or without JavaScript, that checks every page
    it lands on fits the screen."""

    def __init__(self, browser, base_url, javascript):
        self.context = browser.new_context(
            viewport={"width": 360, "height": 740}, base_url=base_url, java_script_enabled=javascript
        )
        self.context.set_default_timeout(10_000)
        self.page = self.context.new_page()
        self.javascript = javascript

    def fits(self):
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{self.page.url} scrolls sideways ({width} px)"

    def says(self, text):
        self.page.get_by_text(text).first.wait_for()
        self.fits()


@pytest.mark.parametrize("javascript", [True, False], ids=["with JavaScript", "without JavaScript"])
def test_alex_applies_is_vetted_approved_and_logs_in_for_the_first_time(browser, own_server, db, javascript):
    visitor = Phone(browser, own_server, javascript)
    apply_online(visitor)
    visitor.page.goto(link_in(ALEX, "application-confirm", "/apply/"))
    visitor.says("Thank you: your e-mail address is confirmed, and we have asked your referees for references.")
    assert visitor.page.get_by_text("E-mail confirmed: done").is_visible()
    for name, address, _ in REFEREES:
        give_reference(visitor, name, address)

    leader = Phone(browser, own_server, javascript)
    vet_and_approve(leader)
    leader.context.close()

    first_log_in(visitor)
    visitor.context.close()


def apply_online(phone):
    page = phone.page
    page.goto("/login")
    page.get_by_role("link", name="Apply to Volunteer").click()
    page.get_by_role("heading", name="Apply to Volunteer").wait_for()
    phone.fits()
    page.get_by_label("First Name:*").fill("Alex")
    page.get_by_label("Last Name:*").fill("Applicant")
    page.get_by_label("E-mail Address:*").fill(ALEX)
    page.get_by_label("Phone:*").fill("07700 900111")
    page.get_by_label("Northside").check()
    page.get_by_label("How often would you like to volunteer?*").select_option(label="Monthly")
    for n, (name, address, how) in enumerate(REFEREES, start=1):
        referee = page.get_by_role("group", name=f"Referee {n}")
        referee.get_by_label(f"Referee {n} Name:*").fill(name)
        referee.get_by_label(f"Referee {n} E-mail:*").fill(address)
        referee.get_by_label(f"How does Referee {n} know you?*").fill(how)
    page.get_by_label("I have read and accept the privacy policy").check()
    page.get_by_role("button", name="Send My Application").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    phone.fits()


def give_reference(phone, name, address):
    page = phone.page
    page.goto(link_in(address, "reference-request", "/reference/"))
    page.get_by_role("heading", name="Reference for Alex Applicant").wait_for()
    phone.fits()
    page.get_by_label("How long have you known the applicant?").fill("3 years")
    page.get_by_label("In what capacity?").fill("Employer")
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Send Reference").click()
    phone.says("Your reference for Alex Applicant has been received")


def vet_and_approve(phone):
    page = phone.page
    log_in(page, "leo@example.org")
    page.goto("/leader/applications")
    phone.fits()
    page.get_by_role("link", name="Alex Applicant").click()
    page.get_by_role("heading", name="Application: Alex Applicant").wait_for()
    phone.fits()
    assert page.get_by_text("Reference 1 received: done").is_visible()
    assert page.get_by_text("Reference 2 received: done").is_visible()
    for step, note in (("Interview or induction attended", "Came on Monday"), ("Volunteer agreement accepted", "")):
        item = page.locator("li", has=page.get_by_text(step, exact=True))
        item.get_by_label("Note").fill(note)
        item.get_by_role("button", name="Mark Done").click()
        phone.says(f"{step}: done.")
    assert not page.get_by_text("Not done yet:").is_visible()
    page.get_by_role("button", name="Approve").click()
    phone.says("Approved: Alex Applicant has an account and has been sent the welcome e-mail.")


def first_log_in(phone):
    """The guide's "Logging in for the First Time": a temporary password (with JavaScript, the welcome
    e-mail's; without, one asked for by "Don't Know Password / Reset Password", as the guide shows it),
    "Log in with E-mail", "Change CERVIS Password", then the profile and "Verify Volunteer Information"."""
    page = phone.page
    page.goto("/login")
    if phone.javascript:
        [welcome] = emails_to(ALEX, "welcome")
        temporary = temp_password_in(welcome)
    else:
        page.get_by_role("link", name="Don't Know Password / Reset Password").click()
        page.get_by_role("heading", name="Password Reset").wait_for()
        phone.fits()
        page.get_by_label("E-mail").fill(ALEX)
        page.get_by_label("First Name").fill("Alex")
        page.get_by_role("button", name="E-mail Temporary Password").click()
        phone.says("If that e-mail address and first name match an account, a temporary password is on its way.")
        temporary = temp_password_in(emails_to(ALEX, "temporary-password")[-1])
    page.get_by_label("E-mail Address").fill(ALEX)
    page.get_by_label("Password", exact=True).fill(temporary)
    page.get_by_role("button", name="Log in with E-mail").click()

    page.get_by_role("heading", name="Change CERVIS Password").wait_for()
    phone.fits()
    page.get_by_label("New Password:*", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm New Password:*").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    phone.says("Your password has been changed.")

    # The profile starts from the application: the group, how often and the phone are already there.
    assert page.get_by_label("Northside", exact=True).is_checked()
    assert page.get_by_label("Mobile Phone:*").input_value() == "07700 900111"
    fill_profile(page)
    page.get_by_role("button", name="Verify Volunteer Information").click()
    page.get_by_role("heading", name="Volunteer Portal Home").wait_for()
    phone.fits()
    assert page.get_by_text("Your groups: Northside").is_visible()
    assert User.get(User.email == ALEX).password_hash
