"""Training on a phone (360 x 740): the volunteer without it cannot take the SL place, and the
leader sees the place whose holder's training will have lapsed."""

import threading
from datetime import date

import pytest
from conftest import log_in
from helpers_qualifications import lee, sl_needs_training
from helpers_rota import MONTH, YEAR, night, offer, opportunity
from werkzeug.serving import make_server

from cervis.db import database
from cervis.models import REGISTERED, User

PORT = 19851  # this suite's own port range


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", PORT, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{PORT}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_unqualified_volunteer_sees_training_needed_and_the_leader_sees_the_lapsed_place(app, phone):
    with app.app_context(), database.connection_context():
        sl_needs_training()
        sl, asst = night(5, "SL"), night(5, "Shift Asst")
        offer(lee(lapses_on=date(YEAR, 2, 1)), night(12, "SL"), status=REGISTERED)
        opp_id, vera_id = opportunity().id, User.by_email("vera@example.org").id
    log_in(phone)
    phone.goto(f"/portal/signup/slots?volunteer={vera_id}&opportunity={opp_id}")
    needed = phone.get_by_role("link", name="Training needed: Safeguarding, Shift leader training")
    needed.first.wait_for()
    assert needed.first.is_visible() and fits(phone)
    assert phone.locator(f'input[name="slot"][value="{sl.id}"]').count() == 0  # nothing to tick
    assert phone.locator(f'input[name="slot"][value="{asst.id}"]').count() == 1
    assert needed.first.get_attribute("href").endswith("/portal/profile#training")

    phone.context.clear_cookies()
    log_in(phone, "leo@example.org")
    phone.goto(f"/leader/opportunities/{opp_id}/rota?month={MONTH}")
    lapsed = phone.get_by_text("SL lapsed")
    lapsed.first.wait_for()
    assert lapsed.count() == 1 and lapsed.first.is_visible() and fits(phone)
