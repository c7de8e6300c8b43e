"""WCAG 2.2 AA on the main pages, for each persona at 320 px and at 1280 px: axe-core finds nothing,
every Tab stop is on the screen with a visible ring, no id repeats, nothing scrolls sideways on a
phone; and the slot table, the navbar menus and the pink idle prompt work from the keyboard."""

from datetime import datetime

import pytest
from conftest import log_in
from helpers_accessibility import Audit
from helpers_rota import MONTH, member, night, offer, opportunity, user

import cervis.auth.session
import cervis.views
from cervis import signed_links
from cervis.models import (
    CANCELLED,
    NOT_REQUIRED,
    REGISTERED,
    AuditLog,
    Document,
    Email,
    Group,
    Reference,
    Registration,
    Role,
    ServiceRecord,
    Slot,
)
from cervis.models.mail import FAILED, QUEUED

VERA, LEO, ADA = "vera@example.org", "leo@example.org", "ada@example.org"


@pytest.fixture(params=[320, 1280], ids=lambda width: f"{width}px")
def audit(request, browser, live_server):
    width = request.param
    context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server)
    yield Audit(context.new_page(), width)
    context.close()


# Arranging: a month of rota with offers, a past shift, service, a document, mail and audit rows -----


def arrange():
    vera, leo = user(VERA), user(LEO)
    opp = opportunity()
    cook, asst, sl = night(5, "Cook"), night(5, "Shift Asst"), night(12, "SL")
    night(12, "Cook")
    bea = member("Bea", frequency="Fortnightly")
    offer(vera, cook, note="Happy to cook, home by 10 please")
    offer(bea, asst)
    offer(bea, sl, status=REGISTERED)
    offer(member("Cal"), cook, status=NOT_REQUIRED)
    offer(member("Dee"), cook, status=CANCELLED)
    past = night(3, "Cook", month=1)  # moved back to 2024: a shift already served
    Slot.update(starts_at=datetime(2024, 1, 3, 18), ends_at=datetime(2024, 1, 3, 21)).where(
        Slot.id == past.id
    ).execute()
    Registration.create(volunteer=vera, slot=past, status=REGISTERED)
    north = Group.get(Group.name == "Northside")
    ServiceRecord.create(
        volunteer=vera, group=north, day=datetime(2024, 2, 1).date(), minutes=90, description="Sorted donations"
    )
    Document.create(
        title="Volunteer Handbook",
        filename="handbook.pdf",
        stored_name="a11y-handbook",
        content_type="application/pdf",
        size=1234,
        uploaded_by=user(ADA),
    )
    for n, status in enumerate((QUEUED, FAILED)):
        Email.create(
            kind="welcome",
            to_addr=VERA,
            to_name="Vera Volunteer",
            subject="Welcome",
            body_text="Hello",
            status=status,
            attempts=n * 8,
            last_error="SMTP refused" if n else "",
            message_id=f"<a11y-{n}@test>",
        )
    AuditLog.record(leo, "update", opp, before={"name": "Night"}, after={"name": opp.name})
    return opp


# The pages, persona by persona ------------------------------------------------------------------


def test_login_and_reset_pages_pass_axe_with_the_red_and_green_banners(audit):
    audit.visit("/login")
    audit.page.get_by_label("E-mail Address").fill(VERA)
    audit.page.get_by_label("Password", exact=True).fill("not my password")
    audit.page.get_by_role("button", name="Log in with E-mail").click()
    audit.page.locator(".banner-error").wait_for()
    audit.check("/login with the red banner")
    audit.visit("/reset")
    audit.page.get_by_role("button", name="E-mail Temporary Password").click()
    audit.page.locator(".field-error").first.wait_for()
    audit.check("/reset with its field errors")
    audit.page.get_by_label("E-mail:").fill(VERA)
    audit.page.get_by_label("First Name:").fill("Vera")
    audit.page.get_by_role("button", name="E-mail Temporary Password").click()
    audit.page.locator(".banner-success").wait_for()
    audit.check("/login with the green banner")
    for url in ("/terms", "/privacy", "/contact"):
        audit.visit(url)
    audit.assert_clean()


def test_volunteer_pages_pass_axe(audit, db):
    opp = arrange()
    log_in(audit.page, VERA)
    for url in ("/portal/", "/password", "/portal/profile", "/portal/signup"):
        audit.visit(url)
    choose_slots(audit.page, opp)
    audit.check("/portal/signup with the slot table")
    audit.page.locator("#slots input[name=slot]").first.check()
    audit.page.get_by_role("button", name="Register", exact=True).click()
    audit.page.locator("#answer.banner-success").wait_for()
    audit.check("/portal/signup with the green banner")
    vera = user(VERA)
    for url in (
        f"/portal/signup/slots?volunteer={vera.id}&opportunity={opp.id}",
        f"/portal/signup/opportunity/{opp.id}",
        "/portal/signup/calendar",
        "/portal/signup/search",
        "/portal/signup/code",
        "/portal/registrations",
        "/portal/registrations/past",
        "/portal/service",
        "/portal/history",
        "/portal/documents",
        "/portal/profile/family/new",
        "/portal/profile/my-data",
    ):
        audit.visit(url)
    audit.send_empty("/password", "Change Password")
    audit.send_empty("/portal/service", "Record Service Project Activity")
    audit.assert_clean()


def choose_slots(page, opp):
    page.locator(f"label[for=opp-{opp.id}]").click()
    page.get_by_role("button", name="Step 3: Click here to choose time slot(s)").click()
    page.locator("#slots table.slot-table").wait_for()


def test_leader_pages_pass_axe(audit, db):
    opp = arrange()
    log_in(audit.page, LEO)
    north, vera = Group.get(Group.name == "Northside"), user(VERA)
    cook = Role.get(Role.group == north, Role.name == "Cook")
    for url in (
        "/leader/",
        "/leader/groups",
        f"/leader/groups/{north.id}",
        f"/leader/groups/{north.id}/edit",
        f"/leader/groups/{north.id}/roles/{cook.id}",
        f"/leader/groups/{north.id}/members",
        f"/leader/volunteers/{vera.id}",
        "/leader/volunteers/new",
        "/leader/volunteers/import",
        "/leader/opportunities",
        "/leader/opportunities/new",
        f"/leader/opportunities/{opp.id}/edit",
        f"/leader/opportunities/{opp.id}/slots",
        f"/leader/opportunities/{opp.id}/slots/bulk",
        f"/leader/opportunities/{opp.id}/slots/copy",
        f"/leader/opportunities/{opp.id}/rota?month={MONTH}",
        f"/leader/opportunities/{opp.id}/rota/complete?month={MONTH}",
        f"/leader/opportunities/{opp.id}/rota/suggest?month={MONTH}",
    ):
        audit.visit(url)
    audit.visit(f"/leader/opportunities/{opp.id}/rota?month={MONTH}")
    cook_slot = Registration.get(Registration.status == NOT_REQUIRED).slot_id
    audit.page.locator(f"#c{cook_slot}").click()  # the slot's people, opened in place
    audit.page.locator(f"#slot-{cook_slot}").wait_for()
    more = audit.page.locator("details.rota-more summary").all()
    assert len(more) == 2
    for summary in more:
        summary.click()
    audit.check("the rota board with Not required and Cancelled open")
    audit.visit(f"/leader/opportunities/{opp.id}/slots")
    audit.page.get_by_role("link", name="Change capacity").first.click()
    audit.page.locator(".capacity-form").wait_for()
    audit.check("the slots page changing a capacity in place")
    audit.send_empty("/leader/opportunities/new", "Create Opportunity")
    audit.assert_clean()


def test_admin_pages_pass_axe(audit, db):
    arrange()
    log_in(audit.page, ADA)
    failed = Email.get(Email.status == FAILED)
    for url in (
        "/admin/",
        "/admin/settings",
        "/admin/branding",
        "/admin/lists",
        "/admin/people",
        f"/admin/people/{user(VERA).id}",
        "/admin/documents",
        "/admin/outbox",
        f"/admin/outbox/{failed.id}",
        "/admin/audit",
        "/admin/data-protection",
        f"/admin/people/{user(VERA).id}/erase",
    ):
        audit.visit(url)
    audit.visit("/admin/lists")
    audit.page.get_by_label("Name of Monthly").fill("Fortnightly")
    audit.page.get_by_role("button", name="Save Monthly").click()
    audit.page.locator(".field-error").wait_for()
    audit.check("/admin/lists renaming an item to a name taken")
    audit.assert_clean()


# The navbar's drop-downs and the pink idle prompt ---------------------------------------------


def test_every_navbar_menu_passes_axe_when_open(audit):
    log_in(audit.page, ADA)  # the administrator sees every menu
    audit.page.goto("/admin/")
    summaries = audit.page.locator("header.navbar summary:visible")
    assert summaries.count() == (2 if audit.width < 400 else 7)  # one menu on a phone, else six and the person
    for i in range(summaries.count()):
        summary = summaries.nth(i)
        summary.click()
        audit.check(f"navbar menu {summary.inner_text().strip() or 'account'} open", context="header.navbar")
        summary.click()
    audit.assert_clean()


class AskSoonThenLater:
    """The page's idle check: due in a second, then not again during the test (no swap mid-audit)."""

    def __init__(self):
        self.asked = 0

    def __call__(self, remaining):
        self.asked += 1
        return 1 if self.asked == 1 else 3600


def test_pink_idle_prompt_passes_axe(audit, monkeypatch):
    log_in(audit.page, VERA)
    monkeypatch.setattr(cervis.auth.session, "WARN_SECONDS", 60 * 60)  # every page is already "about to end"
    monkeypatch.setattr(cervis.views, "idle_delay", AskSoonThenLater())  # the templates' copy
    audit.page.goto("/portal/")
    page = audit.page
    page.locator(".idle-warning").wait_for()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Stay signed in"
    for _ in range(4):  # the page under the prompt is out of reach: Tab never lands there
        page.keyboard.press("Tab")
        assert page.evaluate(IN_PROMPT_OR_NOWHERE), page.evaluate(FOCUSED)
    audit.check("the pink idle prompt")
    audit.assert_clean()
    monkeypatch.undo()  # back to 30 minutes: staying signed in now ends the warning
    page.get_by_role("button", name="Stay signed in").click()
    page.locator(".idle-warning").wait_for(state="detached")
    assert page.get_by_role("heading", name="Volunteer Portal Home").is_visible()


IN_PROMPT_OR_NOWHERE = """document.activeElement === document.body
  || document.getElementById('idle').contains(document.activeElement)"""


# The keyboard ------------------------------------------------------------------------------------

FOCUSED = """() => { const el = document.activeElement; const style = getComputedStyle(el);
  return {tag: el.tagName, name: el.name || '', text: el.textContent.trim(), value: el.value || '',
          outline: style.outlineStyle, width: parseFloat(style.outlineWidth), colour: style.outlineColor}; }"""
WHITE = "rgb(255, 255, 255)"


def test_keyboard_opens_a_navbar_menu_with_a_ring_that_shows_on_the_black_bar(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server)
    page = context.new_page()
    log_in(page, VERA)
    page.locator(".nav-home").focus()
    page.keyboard.press("Tab")
    summary = page.evaluate(FOCUSED)
    assert summary["tag"] == "SUMMARY" and summary["text"] == "Registration Management", summary
    assert summary["outline"] == "solid" and summary["colour"] == WHITE, summary
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    item = page.evaluate(FOCUSED)
    assert item["text"] == "Sign up / Apply for an Upcoming Opportunity", item
    assert item["outline"] == "solid" and item["colour"] != WHITE, item  # blue on the white list
    page.keyboard.press("Enter")
    page.wait_for_url("**/portal/signup")
    context.close()


def test_tab_reaches_the_slot_boxes_and_register_with_a_visible_outline(browser, live_server, db):
    opp = arrange()
    offered = Registration.select(Registration.slot).where(Registration.volunteer == user(VERA))
    free = [
        s.id for s in Slot.select().where(Slot.opportunity == opp, Slot.id.not_in(offered)) if s.spots_available() > 0
    ]
    context = browser.new_context(viewport={"width": 320, "height": 800}, base_url=live_server)
    page = context.new_page()
    log_in(page, VERA)
    page.goto("/portal/signup")
    choose_slots(page, opp)
    page.get_by_role("link", name="View Opportunity Details").focus()
    seen = []
    for _ in range(12):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1]["text"] == "Register":
            break
    first = page.locator(f"#slot-{free[0]}")
    first.focus()
    page.keyboard.press("Space")
    ticked = first.is_checked()
    context.close()
    assert ticked  # Space ticks the focused box
    boxes = [f for f in seen if f["name"] == "slot"]
    assert free and sorted(int(f["value"]) for f in boxes) == sorted(free), seen
    assert seen[-1]["tag"] == "BUTTON" and seen[-1]["text"] == "Register", seen
    for focused in boxes + [seen[-1]]:
        assert focused["outline"] != "none" and focused["width"] >= 2, focused


def test_apply_to_volunteer_passes_axe_blank_and_with_its_field_errors(audit):
    audit.visit("/apply")
    audit.page.get_by_role("button", name="Send My Application").click()
    audit.page.locator(".field-error").first.wait_for()
    audit.check("/apply with its field errors")
    audit.visit("/apply/sent")
    audit.assert_clean()


def test_application_pages_pass_axe(audit, db):
    """Issue 17: the queue, an application, Recruitment Steps, and the referee's form (sent empty too)."""
    from helpers_applications import an_application

    from cervis import references

    application = an_application()
    references.ask(application)
    references.receive(application.references.where(Reference.number == 1).get(), "3 years", "Employer", False, "Kind.")
    token = signed_links.REFERENCE.make({"r": application.references.where(Reference.number == 2).get().id})
    audit.visit(f"/reference/{token}")
    audit.send_empty(f"/reference/{token}", "Send Reference")
    log_in(audit.page, ADA)
    for url in ("/leader/applications", f"/leader/applications/{application.id}", "/admin/recruitment-steps"):
        audit.visit(url)
    audit.assert_clean()
