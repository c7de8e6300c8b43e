"""The administrator's pages on a phone-sized Chromium: they fit, and the htmx edits swap in place."""

import uuid

from conftest import PASSWORD

from cervis.models import Email, Frequency
from cervis.models.mail import FAILED, QUEUED


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in_as_ada(page):
    page.goto("/login")
    page.get_by_label("E-mail Address").fill("ada@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in with E-mail").click()
    page.wait_for_url("**/admin/")


def test_admin_renames_a_list_item_in_place_and_sees_the_green_banner(phone):
    log_in_as_ada(phone)
    phone.goto("/admin/lists")
    assert fits_the_screen(phone)
    box = phone.get_by_label("Name of Monthly")
    box.fill("Once a month")
    phone.get_by_role("button", name="Save Monthly").click()
    phone.locator("#answer", has_text="“Monthly” has been saved as “Once a month”.").wait_for()  # beside the button
    assert phone.url.endswith("/admin/lists")  # swapped in place, no page load
    assert Frequency.get_or_none(Frequency.name == "Once a month") is not None
    phone.get_by_role("button", name="Remove Once a month").click()
    phone.locator("#answer", has_text="“Once a month” has been removed.").wait_for()
    assert Frequency.get_or_none(Frequency.name == "Once a month") is None
    assert fits_the_screen(phone)


def test_admin_sends_a_failed_email_again_and_the_row_updates(phone):
    failed = Email.create(
        kind="welcome",
        to_addr="vera@example.org",
        to_name="Vera Volunteer",
        subject="Welcome",
        body_text="Hello",
        status=FAILED,
        attempts=8,
        last_error="SMTP refused",
        message_id=f"<{uuid.uuid4().hex}@test>",
    )
    log_in_as_ada(phone)
    phone.goto("/admin/outbox")
    assert fits_the_screen(phone)
    phone.get_by_role("button", name="Send again to vera@example.org").click()
    phone.locator("#answer", has_text="The email to vera@example.org will be sent again shortly.").wait_for()
    row = phone.locator(f"#email-{failed.id}")
    row.get_by_text("Queued").wait_for()
    assert Email.get_by_id(failed.id).status == QUEUED


def test_people_documents_settings_and_audit_fit_a_phone(phone):
    log_in_as_ada(phone)
    for url in ("/admin/people", "/admin/documents", "/admin/settings", "/admin/audit", "/admin/people/1"):
        phone.goto(url)
        assert fits_the_screen(phone), url
    phone.goto("/admin/people")
    phone.get_by_label("Search by name or e-mail").press_sequentially("sam", delay=20)
    phone.wait_for_url("**/admin/people?q=sam")
    assert phone.get_by_role("link", name="Vera Volunteer").count() == 0
    assert phone.get_by_role("link", name="Sam Southsider").is_visible()
