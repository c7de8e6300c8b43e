"""Tonight on a phone (320 and 360 px) and on a wall screen (1,920 px): nothing sideways, every venue
in view, and the board fetches itself again by itself, showing what changed meanwhile."""

from conftest import log_in, serving
from helpers_accessibility import Audit
from helpers_rota import ADA, member
from helpers_tonight import NOW, local, on, shift, stop_clock, tonights_rota

FITS = "document.documentElement.scrollWidth <= window.innerWidth"
OUR_PORTS = range(19310, 19330)


def test_tonight_fits_a_phone_and_a_wall_screen_and_refreshes_itself(app, browser, db, monkeypatch):
    stop_clock(monkeypatch, NOW)
    tonights_rota()
    asst = shift(local(2027, 2, 9, 19), "Shift Asst", capacity=3, group="Southside")
    app.config["TONIGHT_REFRESH_SECONDS"] = 1  # a minute in production
    with serving(app, OUR_PORTS) as url:
        context = browser.new_context(viewport={"width": 320, "height": 740}, base_url=url)
        page = context.new_page()
        log_in(page, ADA)
        audit = Audit(page, 320)
        audit.visit("/tonight")  # the short address
        assert page.url.endswith("/leader/tonight")
        audit.assert_clean()  # axe-core, the Tab key, nothing sideways or overlapping at 320 px

        page.set_viewport_size({"width": 360, "height": 740})
        northside = page.get_by_role("heading", name="Northside", exact=True)
        assert northside.is_visible() and page.evaluate(FITS)
        assert page.get_by_text("Shift leader: Sue Member").is_visible()

        # Someone takes Southside's place meanwhile: the next refresh shows it, with no tap.
        southside = page.locator("section", has=page.get_by_role("heading", name="Southside", exact=True))
        assert southside.get_by_text("0 of 3").first.is_visible()
        on(member("Tia", group="Southside"), asst)
        with page.expect_request(lambda r: r.url.endswith("/leader/tonight") and r.headers.get("hx-request") == "true"):
            pass
        southside.get_by_text("1 of 3").first.wait_for()

        page.set_viewport_size({"width": 1920, "height": 1080})
        page.get_by_text("1 of 3").first.wait_for()  # the next refresh, as wide as the screen
        assert page.evaluate(FITS)
        venues = page.locator(".tonight-venue")
        boxes = [venues.nth(i).bounding_box() for i in range(venues.count())]
        assert len(boxes) == 2 and boxes[0]["y"] == boxes[1]["y"]  # side by side
        assert page.locator("main").bounding_box()["width"] > 1800  # the wall's width, not other pages' 60rem
        assert all(venues.nth(i).is_visible() for i in range(2))
        context.close()
