"""Apply to Volunteer on a phone-sized Chromium, with and without JavaScript: the form (a mistake
first, nothing typed lost), the e-mail's link, the applicant's own page, Withdraw my application."""

import re

import pytest
from conftest import emails_to, serving

from cervis.models import WITHDRAWN, Application


@pytest.fixture
def own_server(app):
    with serving(app, range(19100, 19200)) as url:  # this work's own ports
        yield url


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("javascript", [True, False])
def test_applicant_applies_confirms_and_withdraws_on_a_phone(browser, own_server, db, javascript):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=own_server, java_script_enabled=javascript
    )
    page = context.new_page()
    page.goto("/login")
    page.get_by_role("link", name="Apply to Volunteer").click()
    page.wait_for_url("**/apply")
    assert fits_the_screen(page)
    page.get_by_label("First Name:*").fill("Alex")
    page.get_by_label("Last Name:*").fill("Applicant")
    page.get_by_label("E-mail Address:*").fill("alex@example.net")
    page.get_by_label("Phone:*").fill("07700 900111")
    page.get_by_label("Northside").check()
    page.get_by_label("How often would you like to volunteer?*").select_option(index=1)
    for n, (name, email, how) in enumerate(
        (("Rita Referee", "rita@example.net", "My manager"), ("Rob Referee", "rob@example.net", "My teacher")), start=1
    ):
        referee = page.get_by_role("group", name=f"Referee {n}")
        referee.get_by_label(f"Referee {n} Name:*").fill(name)
        referee.get_by_label(f"Referee {n} E-mail:*").fill(email)
        referee.get_by_label(f"How does Referee {n} know you?*").fill(how)
    page.get_by_role("button", name="Send My Application").click()  # the privacy policy not yet accepted
    page.get_by_text("Please accept the privacy policy to apply.").first.wait_for()
    assert page.get_by_label("Referee 2 Name:*").input_value() == "Rob Referee" and fits_the_screen(page)
    page.get_by_label("I have read and accept the privacy policy").check()
    page.get_by_role("button", name="Send My Application").click()
    page.wait_for_url("**/apply/sent")
    assert page.get_by_role("heading", name="Check your e-mail").is_visible() and fits_the_screen(page)

    [email] = emails_to("alex@example.net", "application-confirm")
    page.goto(re.search(r"http://localhost(/apply/\S+)", email.body_text).group(1))
    assert page.get_by_text("E-mail confirmed: done").is_visible()
    assert page.get_by_text("Reference 1 received: not yet").is_visible() and fits_the_screen(page)
    page.get_by_role("button", name="Withdraw my application").click()
    page.get_by_text("Withdrawn by you").wait_for()
    assert Application.get().status == WITHDRAWN and fits_the_screen(page)
    context.close()
