"""The leader's month on a phone (360 x 740): open it, Suggest Rota, Accept Suggestion, Complete Rota."""

from cervis import demo, rota_suggestion, suggest_rota
from cervis.db import database, utcnow
from cervis.models import REGISTERED, Opportunity, Registration, RotaCompletion, Slot
from cervis.months import parse_month


class Taps:
    """Counts the taps a leader makes; typing and page loads are not taps."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def __call__(self, locator):
        self.count += 1
        locator.click()


def test_a_leader_builds_the_demo_month_in_at_most_ten_taps(app, phone):
    with app.app_context(), database.connection_context():
        demo.load()
    phone.goto("/login")
    phone.get_by_label("E-mail Address").fill("leader@example.org")
    phone.get_by_label("Password", exact=True).fill(demo.PASSWORD)
    phone.get_by_role("button", name="Log in with E-mail").click()
    phone.wait_for_url("**/leader/")
    tap = Taps(phone)

    tap(phone.locator("#offers ~ table a").first)  # the month with offers waiting
    phone.wait_for_url("**/rota?**")
    month = phone.url.split("month=")[1][:7]
    tap(phone.get_by_role("link", name="Suggest Rota"))
    phone.get_by_role("heading", name="What this suggestion does").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    tap(phone.get_by_role("button", name="Accept Suggestion").first)
    phone.get_by_text("Suggestion accepted:").first.wait_for()
    opportunity_id = int(phone.url.split("/opportunities/")[1].split("/")[0])
    with app.app_context(), database.connection_context():
        opportunity = Opportunity.get_by_id(opportunity_id)
        # Filled as far as the offers allow: pending offers remain, yet none can fill another place.
        problem, *_ = suggest_rota.read_problem(opportunity, parse_month(month), utcnow())
        assert (
            Registration.select()
            .join(Slot)
            .where(Slot.opportunity == opportunity_id, Registration.status == REGISTERED)
            .count()
            > 0
        )
        assert rota_suggestion.solve(problem) == set()
    tap(phone.get_by_role("link", name="Complete Rota"))
    knowing = phone.get_by_label("I know the offers for these")
    if knowing.count():
        tap(knowing)
    tap(phone.get_by_role("button", name="Complete Rota"))
    phone.locator("#rota-complete #answer").get_by_text("Rota completed for").wait_for()  # beside the button
    assert tap.count <= 10

    with app.app_context(), database.connection_context():
        assert RotaCompletion.get(RotaCompletion.opportunity == opportunity_id).month == month
