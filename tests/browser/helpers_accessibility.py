"""One browser tab at one width: it visits pages and gathers what axe-core, the Tab key and the
width check find (the accessibility tests and the phone-size tests share it)."""

from collections import Counter

from axe_playwright_python.sync_playwright import Axe

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE = Axe()


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
        if self.width <= 320 and not self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
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
        assert not self.problems, f"At {self.width} px ({summary or 'width only'}):\n\n" + "\n\n".join(self.problems)


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
