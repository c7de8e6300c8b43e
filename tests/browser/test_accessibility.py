"""WCAG 2.2 AA on the main pages, for each persona at 320 px and at 1280 px: axe-core finds nothing,
every Tab stop is on the screen with a visible ring, no id repeats, nothing scrolls sideways on a
phone; and the slot table, the navbar menus and the pink idle prompt work from the keyboard."""
from collections import Counter
from datetime import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import log_in
from helpers_rota import MONTH, member, night, offer, opportunity, user

import cervis.auth
from cervis import signed_links
from cervis.models import (CANCELLED, NOT_REQUIRED, REGISTERED, AuditLog, Document, Email, Group, Reference,
                           Registration, Role, ServiceRecord, Slot)
from cervis.models.mail import FAILED, QUEUED

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()
VERA, LEO, ADA = "vera@example.org", "leo@example.org", "ada@example.org"


class Audit:
    """One browser tab at one width: visits pages and gathers what axe and the width check find."""

    def __init__(self, page, width):
        self.page, self.width, self.problems, self.rules = page, width, [], Counter()

    def visit(self, url):
        response = self.page.goto(url)
        assert response.ok, f"{url}: {response.status}"
        self.check(url)

    def check(self, name, context=None):
        self.page.wait_for_load_state("networkidle")
        options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
        found = AXE.run(self.page, context=context, options=options).response["violations"]
        for violation in found:
            self.rules[violation["id"]] += len(violation["nodes"])
            self.problems.append(f"{name}: {readable(violation)}")
        for stop in self.tab_through():
            self.problems.append(f"{name}: Tab reaches {stop}")
        repeated = self.page.evaluate(REPEATED_IDS)  # axe 4.12 no longer checks: a label's for= needs it
        if repeated:
            self.problems.append(f"{name}: ids used more than once: {', '.join(repeated)}")
        if self.width <= 320 and not self.page.evaluate(
                "document.documentElement.scrollWidth <= window.innerWidth"):
            self.problems.append(f"{name}: scrolls sideways at {self.width} px")
        if self.width <= 320 and context is None:  # an open menu covers the page on purpose
            for pair in self.page.evaluate(OVERLAPS):
                self.problems.append(f"{name}: text overlaps at {self.width} px: {pair}")

    def tab_through(self, most=250):
        """Every stop of the Tab key, from the top: each on the screen, each with a visible ring."""
        self.page.evaluate(FROM_THE_TOP)
        problems, stops = [], 0
        while stops < most:
            self.page.keyboard.press("Tab")
            stop = self.page.evaluate(TAB_STOP)
            if stop is None:  # back to the start, or out of the page
                break
            stops += 1
            problems += [f"{stop['html']}: {why}" for why in stop["problems"]]
        return problems if stops else ["nothing at all"]

    def send_empty(self, url, button):
        """The form at url sent with nothing filled in: its red messages beside the fields."""
        self.page.goto(url)
        self.page.get_by_role("button", name=button, exact=True).click()
        self.page.locator(".field-error").first.wait_for()
        self.check(f"{url} sent empty")

    def assert_clean(self):
        summary = ", ".join(f"{rule} x{count}" for rule, count in self.rules.most_common())
        assert not self.problems, (f"At {self.width} px ({summary or 'width only'}):\n\n"
                                   + "\n\n".join(self.problems))


FROM_THE_TOP = """(() => { document.querySelectorAll('[data-tabbed]').forEach(el => delete el.dataset.tabbed);
  const top = document.documentElement; top.tabIndex = -1; top.focus();
  top.removeAttribute('tabindex'); scrollTo(0, 0); })()"""
TAB_STOP = """(() => { const el = document.activeElement;
  if (!el || el === document.body || el.dataset.tabbed) return null;
  el.dataset.tabbed = 'y';
  const box = el.getBoundingClientRect(), style = getComputedStyle(el), problems = [];
  const page = document.documentElement;
  if (box.right <= 0 || box.bottom + scrollY <= 0 || box.left >= page.scrollWidth || box.width * box.height === 0)
    problems.push('off the screen');
  if ((style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) && style.boxShadow === 'none')
    problems.push('no visible focus ring');
  return {html: el.outerHTML.slice(0, 140), problems}; })()"""
# Two pieces of text drawn over each other (a status label on a date, a clipped header): each
# element's own line boxes against every other element's, where neither holds the other.
OVERLAPS = """(() => { const boxes = [];
  for (const el of document.querySelectorAll('body *')) {
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    if (!el.checkVisibility({visibilityProperty: true}) || el.matches('.skip')) continue;  // closed menus too
    const rects = [...el.getClientRects()].filter(r => r.width > 2 && r.height > 2);
    if (rects.length) boxes.push([el, rects]); }
  const found = [];
  for (let i = 0; i < boxes.length && found.length < 5; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, ra] = boxes[i], [b, rb] = boxes[j];
    if (a.contains(b) || b.contains(a)) continue;
    if (ra.some(p => rb.some(q => Math.min(p.right, q.right) - Math.max(p.left, q.left) > 2
                               && Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top) > 2))) {
      found.push(a.outerHTML.slice(0, 70) + ' over ' + b.outerHTML.slice(0, 70)); break; } }
  return found; })()"""
REPEATED_IDS = """(() => { const seen = {}; document.querySelectorAll('[id]').forEach(el => {
  seen[el.id] = (seen[el.id] || 0) + 1; }); return Object.keys(seen).filter(id => seen[id] > 1); })()"""



def readable(violation):
    lines = [f"{violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"][:6]:
        lines.append(f"    at {' '.join(map(str, node['target']))}")
        lines.append(f"       {node['html'][:160]}")
        lines.extend(f"       {line}" for line in node.get("failureSummary", "").splitlines()[1:3])
    if len(violation["nodes"]) > 6:
        lines.append(f"    ... and {len(violation['nodes']) - 6} more")
    return "\n".join(lines)


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
        Slot.id == past.id).execute()
    Registration.create(volunteer=vera, slot=past, status=REGISTERED)
    north = Group.get(Group.name == "Northside")
    ServiceRecord.create(volunteer=vera, group=north, day=datetime(2024, 2, 1).date(), minutes=90,
                         description="Sorted donations")
    Document.create(title="Volunteer Handbook", filename="handbook.pdf", stored_name="a11y-handbook",
                    content_type="application/pdf", size=1234, uploaded_by=user(ADA))
    for n, status in enumerate((QUEUED, FAILED)):
        Email.create(kind="welcome", to_addr=VERA, to_name="Vera Volunteer", subject="Welcome",
                     body_text="Hello", status=status, attempts=n * 8, last_error="SMTP refused" if n else "",
                     message_id=f"<a11y-{n}@test>")
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
    for url in (f"/portal/signup/slots?volunteer={vera.id}&opportunity={opp.id}",
                f"/portal/signup/opportunity/{opp.id}", "/portal/signup/calendar", "/portal/signup/search",
                "/portal/signup/code", "/portal/registrations", "/portal/registrations/past",
                "/portal/service", "/portal/history", "/portal/documents", "/portal/profile/family/new",
                "/portal/profile/my-data"):
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
    for url in ("/leader/", "/leader/groups", f"/leader/groups/{north.id}", f"/leader/groups/{north.id}/edit",
                f"/leader/groups/{north.id}/roles/{cook.id}", f"/leader/groups/{north.id}/members",
                f"/leader/volunteers/{vera.id}", "/leader/volunteers/new", "/leader/volunteers/import",
                "/leader/opportunities", "/leader/opportunities/new", f"/leader/opportunities/{opp.id}/edit",
                f"/leader/opportunities/{opp.id}/slots", f"/leader/opportunities/{opp.id}/slots/bulk",
                f"/leader/opportunities/{opp.id}/slots/copy", f"/leader/opportunities/{opp.id}/rota?month={MONTH}",
                f"/leader/opportunities/{opp.id}/rota/complete?month={MONTH}",
                f"/leader/opportunities/{opp.id}/rota/suggest?month={MONTH}"):
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
    for url in ("/admin/", "/admin/settings", "/admin/branding", "/admin/lists", "/admin/people", f"/admin/people/{user(VERA).id}",
                "/admin/documents", "/admin/outbox", f"/admin/outbox/{failed.id}", "/admin/audit",
                "/admin/data-protection", f"/admin/people/{user(VERA).id}/erase"):
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
    monkeypatch.setattr(cervis.auth, "WARN_SECONDS", 60 * 60)  # every page is already "about to end"
    monkeypatch.setattr(cervis.auth, "idle_delay", AskSoonThenLater())
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
    free = [s.id for s in Slot.select().where(Slot.opportunity == opp, Slot.id.not_in(offered))
            if s.spots_available() > 0]
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
