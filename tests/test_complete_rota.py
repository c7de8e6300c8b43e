"""The rota's month as a whole: Complete Rota ("We'll also inform you that your presence isn't required
for any slots that are still pending"), and the rota printed or downloaded."""

from datetime import timedelta

from helpers_rota import HTMX, LEO, MONTH, OLGA, YEAR, act, board, fresh, member, night, offer, opportunity, panel, user

from cervis import outbox
from cervis.db import utcnow
from cervis.models import NOT_REQUIRED, PENDING, REGISTERED, AuditLog, Email, RegistrationEvent, RotaCompletion
from cervis.models.mail import QUEUED, SENT


def vera():
    return user("vera@example.org")


def complete_url(opp=None, month=MONTH):
    return f"/leader/opportunities/{(opp or opportunity()).id}/rota/complete?month={month}"


def seen_on(page):
    """The hidden 'seen' value the summary form carries."""
    marker = 'name="seen" type="hidden" value="'
    start = page.index(marker) + len(marker) if marker in page else None
    if start is None:
        marker = 'id="seen" name="seen" type="hidden" value="'
        start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


def press_complete(client, opp=None, htmx=False):
    """Open the summary, then confirm it, as a leader does."""
    page = client.get(complete_url(opp)).get_data(as_text=True)
    return client.post(complete_url(opp), data={"seen": seen_on(page), "knowing": "y"}, headers=HTMX if htmx else None)


def test_summary_says_what_will_be_sent_and_which_slots_are_short(auth, client, db):
    cook, asst, sl = night(5, "Cook"), night(5, "Shift Asst"), night(12, "SL")
    bea = member("Bea")
    offer(vera(), asst)
    offer(vera(), sl)
    offer(bea, cook)
    auth.login(LEO)
    act(client, "accept", fresh(offer(bea, night(19, "Cook"))))  # a confirmation still in its undo window
    page = client.get(complete_url()).get_data(as_text=True)
    assert f"Complete Rota: Northside Night Shelter, February {YEAR}" in page
    assert "<strong>1</strong> confirmation email still waiting out the undo window will go now." in page
    assert (
        '<strong>3</strong> pending offers will become Not Required: <strong>2</strong> "not required" emails' in page
    )
    assert "<strong>3</strong> slots still short." in page  # cook, asst and SL: the 19th is full
    assert "0 / 2" in page and "0 / 1" in page
    assert "Complete Rota</button>" in page


def test_completing_marks_pending_offers_not_required_with_one_email_per_volunteer(auth, client, db):
    first, second = offer(vera(), night(5, "Shift Asst")), offer(vera(), night(12, "Shift Asst"))
    bea_offer = offer(member("Bea"), night(5, "Cook"))
    kept = offer(member("Cal"), night(5, "SL"), status=REGISTERED)
    auth.login(LEO)
    response = press_complete(client)
    assert response.status_code == 303
    assert "Rota completed for February" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert {fresh(r).status for r in (first, second, bea_offer)} == {NOT_REQUIRED}
    assert fresh(kept).status == REGISTERED
    mine = list(Email.select().where(Email.kind == "not-required", Email.to_addr == "vera@example.org"))
    assert len(mine) == 1
    body = mine[0].body_text
    assert "Thank you for your offer, but you won't be required for these particular shifts:" in body
    assert f"Sat, Feb 5, {YEAR} - 6:00 PM to 9:00 PM" in body and f"Sat, Feb 12, {YEAR}" in body
    bea_mail = Email.get(Email.kind == "not-required", Email.to_addr == "bea@example.org")
    assert "Thank you for your offer, but you won't be required for this particular shift:" in bea_mail.body_text
    assert mine[0].send_after <= utcnow()
    event = RegistrationEvent.select().where(RegistrationEvent.registration == first.id).get()
    assert event.status == NOT_REQUIRED and event.by_id == user(LEO).id and event.note == "Rota completed"


def test_completing_sends_waiting_confirmations_now(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    act(client, "accept", reg)
    confirmation = Email.get(Email.kind == "confirmation")
    assert confirmation.send_after > utcnow() + timedelta(minutes=5)
    press_complete(client)
    assert Email.get_by_id(confirmation.id).send_after <= utcnow()
    assert outbox.send_due(utcnow()) == 1
    assert Email.get_by_id(confirmation.id).status == SENT


def test_pressing_complete_rota_twice_sends_nothing_twice(auth, client, db):
    offer(vera(), night(5, "Shift Asst"))
    offer(member("Bea"), night(5, "Cook"))
    auth.login(LEO)
    page = client.get(complete_url()).get_data(as_text=True)
    first = client.post(complete_url(), data={"seen": seen_on(page), "knowing": "y"})
    again = client.post(
        complete_url(), data={"seen": seen_on(page), "knowing": "y"}, headers=HTMX
    )  # the same form, again
    assert first.status_code == 303
    assert "This rota was already completed: nothing was sent again." in again.get_data(as_text=True)
    assert Email.select().where(Email.kind == "not-required").count() == 2
    second_summary = press_complete(client)  # a fresh summary: nothing is left to do
    assert second_summary.status_code == 303
    assert Email.select().where(Email.kind == "not-required").count() == 2
    assert RotaCompletion.select().count() == 1


def test_offers_after_completion_still_reach_the_leader_as_pending(auth, client, db):
    slot = night(5, "Shift Asst")
    offer(vera(), slot)
    auth.login(LEO)
    press_complete(client)
    late = offer(member("Bea"), slot, note="Sorry, late again")
    page = panel(client, slot)
    assert "Sorry, late again" in page and "Pending offers (1)" in page
    summary = client.get(complete_url()).get_data(as_text=True)
    assert "This rota was completed" in summary and "Offers made since then are still pending" in summary
    press_complete(client)
    assert fresh(late).status == NOT_REQUIRED
    assert Email.select().where(Email.kind == "not-required").count() == 2  # one each, never Vera twice


def test_complete_rota_with_htmx_swaps_the_summary(auth, client, db):
    offer(vera(), night(5, "Shift Asst"))
    auth.login(LEO)
    response = press_complete(client, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="rota-complete"')
    assert "banner-success" in body and "1 pending offer marked Not Required" in body
    assert "This rota was completed" in body
    answer = body.index('id="answer" class="answer banner banner-success" role="status" tabindex="-1" autofocus')
    assert answer < body.index('<button type="submit" class="primary">Complete Rota')  # beside the button


def test_complete_rota_touches_only_its_month_and_opportunity(auth, client, db):
    march = offer(vera(), night(5, "Cook", month=3))
    other = opportunity(name="Support Centre")
    from cervis.models import Registration, Slot

    elsewhere_slot = night(6, "Cook")
    Slot.update(opportunity=other).where(Slot.id == elsewhere_slot.id).execute()
    elsewhere = offer(vera(), elsewhere_slot)
    feb = offer(vera(), night(7, "Cook"))
    auth.login(LEO)
    press_complete(client)
    assert fresh(feb).status == NOT_REQUIRED
    assert fresh(march).status == PENDING and fresh(elsewhere).status == PENDING
    assert Registration.select().where(Registration.status == PENDING).count() == 2


def test_completion_is_recorded_and_audited(auth, client, db):
    offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    press_complete(client)
    completion = RotaCompletion.get()
    assert completion.month == MONTH and completion.by_id == user(LEO).id
    entry = AuditLog.get(AuditLog.action == "rota.complete")
    assert entry.actor_id == user(LEO).id and '"not_required": 1' in entry.after
    assert "Rota completed" in board(client).get_data(as_text=True)


def test_other_groups_leader_cannot_complete_the_rota(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(OLGA)
    assert client.get(complete_url()).status_code == 403
    assert client.post(complete_url(), data={"seen": ""}).status_code == 403
    assert fresh(reg).status == PENDING and not Email.select().where(Email.status == QUEUED).exists()


def test_summary_counts_not_required_emails_still_waiting_and_sends_them_now(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    act(client, "not-required", reg)
    page = client.get(complete_url()).get_data(as_text=True)
    assert '1 "not required" email for offers you marked one by one will go now too.' in page
    press_complete(client)
    assert outbox.send_due(utcnow()) == 1
    assert Email.get(Email.kind == "not-required").status == SENT


# Print and CSV ------------------------------------------------------------------------------------


def test_print_lists_each_week_by_date_role_name_and_phone(auth, client, db):
    offer(vera(), night(5, "Cook"), status=REGISTERED)
    offer(member("Bea", mobile="07700 900777"), night(14, "SL"), status=REGISTERED)
    offer(member("Cal"), night(14, "Cook"))  # pending: not on the printed rota
    auth.login(LEO)
    page = client.get(f"/leader/opportunities/{opportunity().id}/rota/print?month={MONTH}").get_data(as_text=True)
    assert page.count('class="rota-week"') == 2
    assert "Vera Volunteer" in page and "07700 900000" in page and "07700 900777" in page
    assert "Cal Member" not in page


def test_csv_has_the_rota_and_never_a_formula(auth, client, db):
    offer(member("=HYPERLINK(1)", mobile="+44 7700 900111"), night(5, "Cook"), status=REGISTERED)
    offer(vera(), night(5, "Shift Asst"), status=REGISTERED)
    auth.login(LEO)
    response = client.get(f"/leader/opportunities/{opportunity().id}/rota.csv?month={MONTH}")
    assert response.mimetype == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == "Date,Time,Role,Name,Phone"
    assert "'=HYPERLINK(1) Member" in lines[1] and "'+44 7700 900111" in lines[1]
    assert lines[2].endswith("Shift Asst,Vera Volunteer,07700 900000")


def test_other_groups_leader_cannot_print_or_download_the_rota(auth, client, db):
    opp = opportunity()
    auth.login(OLGA)
    assert client.get(f"/leader/opportunities/{opp.id}/rota/print?month={MONTH}").status_code == 403
    assert client.get(f"/leader/opportunities/{opp.id}/rota.csv?month={MONTH}").status_code == 403


def test_summary_lists_short_slots_whose_offers_would_be_turned_down(auth, client, db):
    cook, asst = night(5, "Cook"), night(12, "Shift Asst")
    offer(vera(), cook)
    offer(member("Bea"), asst, status=REGISTERED)
    offer(member("Cal"), asst)
    auth.login(LEO)
    page = client.get(complete_url()).get_data(as_text=True)
    assert "Offers for short slots that would be turned down" in page
    assert f"slot={cook.id}#slot-{cook.id}" in page.replace("&amp;", "&") and "0 / 1, 1 pending offer" in page
    assert "1 / 2, 1 pending offer" in page and "use Suggest Rota first" in page
    assert "I know the offers for these 2 short slots will be turned down" in page


def test_completing_without_saying_so_turns_nothing_down(auth, client, db):
    reg = offer(vera(), night(5, "Cook"))
    auth.login(LEO)
    page = client.get(complete_url()).get_data(as_text=True)
    response = client.post(complete_url(), data={"seen": seen_on(page)})
    assert response.status_code == 400 and "Tick this to turn those offers down" in response.get_data(as_text=True)
    fragment = client.post(complete_url(), data={"seen": seen_on(page)}, headers=HTMX).get_data(as_text=True)
    assert (
        fragment.lstrip().startswith('<section id="rota-complete"')
        and "Tick this to turn those offers down" in fragment
    )
    assert fresh(reg).status == PENDING and RotaCompletion.select().count() == 0
    assert press_complete(client).status_code == 303 and fresh(reg).status == NOT_REQUIRED


def test_right_after_complete_rota_no_confirmation_is_still_waiting(auth, client, db):
    auth.login(LEO)
    act(client, "accept", fresh(offer(member("Bea"), night(19, "Cook"))))
    press_complete(client)
    page = client.get(complete_url()).get_data(as_text=True)
    # Released, only not yet handed to the mail server: they wait for no undo window.
    assert "<strong>0</strong> confirmation emails still waiting out the undo window will go now." in page


def test_complete_rota_says_its_message_once_in_plural_forms(auth, client, db):
    offer(vera(), night(5, "Shift Asst"))
    offer(vera(), night(12, "Shift Asst"))
    auth.login(LEO)
    body = press_complete(client, htmx=True).get_data(as_text=True)
    assert "2 pending offers marked Not Required (1 &#34;not required&#34; email); 0 waiting emails sent now." in body
    assert body.count("Rota completed for") == 1  # beside the button; the top banner is emptied
    assert "(s)" not in body
