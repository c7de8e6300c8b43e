"""The slot table and "Register" respect what a role needs: training, valid on the slot's date."""

import re
from datetime import date

import pytest
from conftest import PASSWORD, emails_to
from helpers_offering import has_box, person, plug_in, register_form, slot_of, slots_page, stop_clock, text
from helpers_qualifications import SAFEGUARDING, SL_TRAINING, grant, lee, quinn, sl_needs_training

from cervis import eligibility
from cervis.models import WAITING, Registration

VERA = "vera@example.org"
OCT_9, OCT_16, OCT_23 = date(2025, 10, 9), date(2025, 10, 16), date(2025, 10, 23)
NEEDED = f"Training needed: {SAFEGUARDING}, {SL_TRAINING}"  # in the list's order


@pytest.fixture
def clock(monkeypatch):
    return stop_clock(monkeypatch)


def test_an_unqualified_volunteer_sees_training_needed_on_the_sl_slot_and_no_box(auth, client, db, clock):
    plug = plug_in(weeks=1)
    sl_needs_training()
    sl, cook = slot_of(plug, OCT_9, "SL"), slot_of(plug, OCT_9, "Cook")
    auth.login()
    page = text(slots_page(client, person(VERA), plug))
    assert NEEDED in page
    assert re.search(r'<a class="status training" href="/portal/profile#training">' + NEEDED, page)
    assert not has_box(page, sl) and has_box(page, cook)
    assert "Some slots need training or checks you do not hold on their date" in page


def test_a_qualified_volunteer_may_tick_the_sl_slot(auth, client, db, clock):
    plug = plug_in(weeks=1)
    sl_needs_training()
    volunteer = quinn()
    volunteer.password_hash = person(VERA).password_hash
    volunteer.save()
    auth.login("quinn@example.org", PASSWORD)
    page = text(slots_page(client, volunteer, plug))
    assert "Training needed" not in page and has_box(page, slot_of(plug, OCT_9, "SL"))


def test_training_that_lapses_mid_month_counts_before_and_not_after(db, clock):
    plug = plug_in(weeks=3)
    sl_needs_training()
    volunteer = lee(lapses_on=OCT_16)
    rows = {r.slot.id: r for r in eligibility_rows(volunteer, plug)}
    assert rows[slot_of(plug, OCT_9, "SL").id].refusal is None
    assert rows[slot_of(plug, OCT_16, "SL").id].refusal is None  # valid on its last day
    assert rows[slot_of(plug, OCT_23, "SL").id].refusal == f"Training needed: {SL_TRAINING}"


def test_proof_waiting_to_be_checked_is_not_yet_a_qualification(db, clock):
    plug = plug_in(weeks=1)
    sl_needs_training()
    vera = person(VERA)
    grant(vera, SL_TRAINING, state=WAITING)
    grant(vera, SAFEGUARDING)
    [sl] = [r for r in eligibility_rows(vera, plug) if r.slot.role.name == "SL"]
    assert sl.refusal == f"Training needed: {SL_TRAINING}"


def test_register_refuses_an_sl_slot_posted_anyway_and_saves_the_rest(auth, client, db, clock):
    plug = plug_in(weeks=1)
    sl_needs_training()
    vera = person(VERA)
    sl, cook = slot_of(plug, OCT_9, "SL"), slot_of(plug, OCT_9, "Cook")
    auth.login()
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, [sl, cook]), follow_redirects=True)
    page = text(response)
    assert "banner-error" in page and f"SL ({NEEDED})" in page
    assert [r.slot_id for r in Registration.select().where(Registration.volunteer == vera)] == [cook.id]
    [email] = emails_to(VERA, "offer-acknowledgement")
    assert "SL" not in email.body_text


def test_register_refuses_a_lone_sl_slot_and_saves_nothing(auth, client, db, clock):
    plug = plug_in(weeks=1)
    sl_needs_training()
    vera = person(VERA)
    auth.login()
    response = client.post("/portal/signup/slots", data=register_form(vera, plug, [slot_of(plug, OCT_9, "SL")]))
    assert response.status_code == 409 and NEEDED in text(response)
    assert Registration.select().where(Registration.volunteer == vera).count() == 0
    assert emails_to(VERA) == []


def test_the_slot_table_reads_eligibility_in_one_query_however_many_slots(db, clock):
    plug = plug_in(weeks=8)
    sl_needs_training()
    vera = person(VERA)
    calls = []
    real = eligibility.eligibility
    eligibility_rows(vera, plug, spy=lambda *a: calls.append(a) or real(*a))
    assert len(calls) == 1


def eligibility_rows(volunteer, opp, spy=None):
    from cervis import offers
    from helpers_offering import NOW

    if spy is not None:
        import unittest.mock

        with unittest.mock.patch.object(offers, "eligibility", spy):
            return offers.slot_rows(volunteer, opp, NOW)
    return offers.slot_rows(volunteer, opp, NOW)
