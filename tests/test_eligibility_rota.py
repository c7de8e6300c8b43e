"""Every rota path refuses a volunteer without the role's training, on the server, with the reason
beside the button; a leader may still accept one on purpose, with a reason that is kept."""

from datetime import date, timedelta

import pytest
from conftest import emails_to
from helpers_qualifications import SAFEGUARDING, SL_TRAINING, lee, quinn, sl_needs_training
from helpers_rota import LEO, YEAR, act, fresh, night, offer, panel, press, user
from helpers_registrations import register, shift
from helpers_cover import same_night

from cervis import cancellation, rota
from cervis.models import PENDING, REGISTERED, AuditLog, CoverAsk, QualificationOverride, Registration, User

VERA = "vera@example.org"
REFUSAL = f"Vera Volunteer does not have {SAFEGUARDING}, {SL_TRAINING}"


def vera():
    return User.by_email(VERA)


@pytest.fixture
def sl_rules(db):
    sl_needs_training()


def test_accept_refuses_an_unqualified_volunteer_and_says_why_beside_the_button(auth, client, sl_rules):
    reg = offer(vera(), night(5, "SL"))
    auth.login(LEO)
    body = act(client, "accept", reg, htmx=True).get_data(as_text=True)
    assert REFUSAL in body and "banner-error" in body
    assert fresh(reg).status == PENDING and emails_to(VERA, "confirmation") == []


def test_the_panel_says_training_needed_instead_of_accept(auth, client, sl_rules):
    slot = night(5, "SL")
    reg = offer(vera(), slot)
    ok = offer(quinn(), slot)
    auth.login(LEO)
    body = panel(client, slot)
    assert f"Training needed: {SAFEGUARDING}, {SL_TRAINING}" in body
    assert f'value="accept:{reg.id}"' not in body and f'value="accept:{ok.id}"' in body
    assert f'value="override:{reg.id}"' in body


def test_a_qualified_volunteer_is_accepted(auth, client, sl_rules):
    reg = offer(quinn(), night(5, "SL"))
    auth.login(LEO)
    act(client, "accept", reg, htmx=True)
    assert fresh(reg).status == REGISTERED


def test_training_lapsing_mid_month_is_accepted_before_and_refused_after(auth, client, sl_rules):
    lapsing = lee(lapses_on=date(YEAR, 2, 14))
    before, after = offer(lapsing, night(5, "SL")), offer(lapsing, night(20, "SL"))
    auth.login(LEO)
    act(client, "accept", before, htmx=True)
    body = act(client, "accept", after, htmx=True).get_data(as_text=True)
    assert fresh(before).status == REGISTERED and fresh(after).status == PENDING
    assert f"Lee Member does not have {SL_TRAINING} (valid on {date(YEAR, 2, 20):%a}, Feb 20)" in body


def test_accept_selected_refuses_all_when_one_is_unqualified(auth, client, sl_rules):
    slot = night(5, "SL", capacity=2)
    regs = [offer(quinn(), slot), offer(vera(), slot)]
    auth.login(LEO)
    body = press(client, slot, "accept", *regs, htmx=True).get_data(as_text=True)
    assert REFUSAL in body
    assert [fresh(r).status for r in regs] == [PENDING, PENDING]


def test_accept_suggestion_leaves_out_an_unqualified_offer_and_names_it(db, sl_rules):
    slot = night(5, "SL", capacity=2)
    good, bad = offer(quinn(), slot), offer(vera(), slot)
    accepted, refused = rota.accept_suggestion([good.id, bad.id], user(LEO))
    assert [r.id for r in accepted] == [good.id]
    [(reg, reason)] = refused
    assert reg.id == bad.id and REFUSAL in str(reason)


def test_call_up_refuses_an_unqualified_reserve(auth, client, sl_rules):
    reserve = offer(vera(), night(5, "Reserve"), status=REGISTERED)
    sl = night(5, "SL")
    auth.login(LEO)
    listed = panel(client, reserve.slot)
    assert f'<option value="{sl.id}" disabled>SL,' in listed and "(Training needed)</option>" in listed
    body = act(client, "call-up", reserve, htmx=True, slot_id=sl.id).get_data(as_text=True)
    assert REFUSAL in body and fresh(reserve).status == REGISTERED
    assert not Registration.select().where(Registration.slot == sl).exists()


def test_add_volunteer_by_hand_refuses_an_unqualified_member(auth, client, sl_rules):
    slot = night(5, "SL")
    quinn()
    auth.login(LEO)
    form = client.get(f"/leader/slots/{slot.id}/add", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert f"Vera Volunteer - Training needed: {SAFEGUARDING}, {SL_TRAINING}</option>" in form
    assert "Quinn Member</option>" in form
    body = client.post(
        f"/leader/slots/{slot.id}/add", headers={"HX-Request": "true"}, data={f"add-{slot.id}-volunteer": vera().id}
    ).get_data(as_text=True)
    assert REFUSAL in body
    assert not Registration.select().where(Registration.slot == slot).exists()
    body = client.post(
        f"/leader/slots/{slot.id}/add",
        headers={"HX-Request": "true"},
        data={f"add-{slot.id}-volunteer": vera().id, f"add-{slot.id}-override": "Phoned in; the only SL free tonight"},
    ).get_data(as_text=True)
    reg = Registration.get(Registration.slot == slot)
    assert reg.status == REGISTERED and "Added: Vera Volunteer" in body
    assert QualificationOverride.get(QualificationOverride.registration == reg).reason.startswith("Phoned in")
    assert "Accepted without training: Phoned in" in panel(client, slot)


def test_a_leader_overrides_with_a_reason_and_the_place_is_marked_and_audited(auth, client, sl_rules):
    slot = night(5, "SL")
    reg = offer(vera(), slot)
    auth.login(LEO)
    blank = press(client, slot, f"override:{reg.id}", htmx=True, **{f"override-{reg.id}": "  "})
    assert "Please give a reason" in blank.get_data(as_text=True) and fresh(reg).status == PENDING
    body = press(
        client,
        slot,
        f"override:{reg.id}",
        htmx=True,
        **{f"override-{reg.id}": "Only SL available; trained last week, certificate to follow"},
    ).get_data(as_text=True)
    assert fresh(reg).status == REGISTERED
    kept = QualificationOverride.get(QualificationOverride.registration == reg.id)
    assert kept.by_id == user(LEO).id and kept.reason.startswith("Only SL available")
    entry = AuditLog.get(AuditLog.action == "rota.qualification-override")
    assert SL_TRAINING in entry.after and "Only SL available" in entry.after
    assert "Accepted without training" in body
    assert "Accepted without training" in panel(client, slot)
    assert len(emails_to(VERA, "confirmation")) == 1


def test_the_override_needs_a_leader_of_the_group(auth, client, sl_rules):
    slot = night(5, "SL", group="Southside")
    reg = offer(vera(), slot)
    auth.login(LEO)
    response = press(client, slot, f"override:{reg.id}", **{f"override-{reg.id}": "because"})
    assert response.status_code in (403, 404) and fresh(reg).status == PENDING


# Cover -----------------------------------------------------------------------------------------


def cover_night(db):
    """Tomorrow's SL place is given up; Quinn and Vera are that night's reserves."""
    sl = shift("SL", starts_in=timedelta(hours=30), capacity=1)
    place = register(lee(lapses_on=date(2100, 1, 1)), sl)
    reserves = same_night(sl, "Reserve")
    for person in (quinn(), vera()):
        register(person, reserves)
    return sl, place


def test_cover_asks_only_qualified_reserves_and_members(db, sl_rules):
    _sl, place = cover_night(db)
    cancellation.cancel([place.id], by=place.volunteer)
    assert [a.volunteer.first_name for a in CoverAsk.select()] == ["Quinn"]
    assert emails_to(VERA, "cover-ask") == []


def test_taking_cover_is_refused_once_the_training_has_lapsed(client, db, sl_rules):
    from helpers_cover import link_in

    sl, place = cover_night(db)
    cancellation.cancel([place.id], by=place.volunteer)
    from cervis.models import QualificationGrant

    QualificationGrant.update(expires_on=date(2000, 1, 1)).where(
        QualificationGrant.volunteer == User.by_email("quinn@example.org")
    ).execute()
    page = client.post(link_in(emails_to("quinn@example.org", "cover-ask")[0]))
    assert page.status_code == 409 and "does not have" in page.get_data(as_text=True)
    assert not Registration.select().where(Registration.slot == sl, Registration.status == REGISTERED).exists()
