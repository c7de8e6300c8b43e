"""Issue 17 on a phone-sized Chromium: the referee's form, the leader's application page, and the
e-mails (reference request, reminder, welcome on approval, decline) fit 360 px without sideways scrolling."""

import re
from datetime import timedelta

from helpers_applications import an_application, the_steps

from cervis import applications, references, vetting
from cervis.db import utcnow
from cervis.models import Email, Reference, StepDone, User
from conftest import log_in


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_emails_fit_a_phone(app, browser, db):
    application = an_application()
    references.ask(application)
    references.send_reminders(utcnow() + timedelta(days=8))
    vetting.approve(User.get(User.email == "ada@example.org"), application)
    vetting.decline(User.get(User.email == "ada@example.org"), an_application(first="Dee", email="dee@example.net"))
    User.update(active=False).where(User.email == "sam@example.org").execute()
    for known in ("vera@example.org", "sam@example.org"):  # an account, and one switched off
        applications.apply(dict(first_name="A", last_name="B", email=known, phone="", frequency=None), [], [])
    kinds = {
        "reference-request",
        "reference-reminder",
        "welcome",
        "application-declined",
        "application-has-account",
        "application-inactive-account",
    }
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for email in Email.select().where(Email.kind.in_(kinds)):
        assert email.body_text and 'name="viewport"' in email.body_html, email.kind
        page.set_content(email.body_html)
        assert fits_the_screen(page), email.kind
        kinds.discard(email.kind)
    context.close()
    assert kinds == set()


def test_a_referee_answers_on_a_phone_without_javascript(app, browser, live_server, db):
    application = an_application()
    references.ask(application)
    body = Email.get(Email.kind == "reference-request", Email.to_addr == "rita@example.net").body_text
    path = re.search(r"http://localhost(/reference/\S+)", body).group(1)
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, base_url=live_server, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(path)
    assert page.get_by_role("heading", name="Reference for Alex Applicant").is_visible() and fits_the_screen(page)
    page.get_by_label("How long have you known the applicant?").fill("3 years")
    page.get_by_role("button", name="Send Reference").click()
    assert page.locator("#concerns-error").get_by_text("Please answer yes or no.").is_visible()
    assert page.get_by_label("How long have you known the applicant?").input_value() == "3 years"
    page.get_by_label("In what capacity?").fill("Employer")
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("button", name="Send Reference").click()
    assert page.get_by_role("heading", name="Thank You").is_visible()
    context.close()
    assert Reference.get(number=1).received_at is not None


def test_the_leader_marks_the_induction_and_approves_on_a_phone(app, phone, db):
    application = an_application()
    log_in(phone, "leo@example.org")
    phone.goto("/leader/applications")
    assert fits_the_screen(phone)
    phone.get_by_role("link", name="Alex Applicant").click()
    assert fits_the_screen(phone)
    induction = the_steps()["Induction attended"]
    phone.locator(f"#step-{induction.id}").get_by_label("Note").fill("Came on Monday")
    phone.locator(f"#step-{induction.id}").get_by_role("button", name="Mark Done").click()
    assert phone.get_by_text("Induction attended: done.").first.is_visible()
    phone.get_by_role("button", name="Approve").click()
    assert phone.get_by_text("Approved: Alex Applicant has an account").first.is_visible()
    assert User.get_or_none(User.email == "alex@example.net") is not None
    assert StepDone.get(application=application, step=induction).note == "Came on Monday"
