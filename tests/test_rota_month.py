"""The leader's month at a glance, a slot's people opened in place, and acting on several offers."""

from helpers_rota import LEO, MONTH, OLGA, board, fresh, member, night, offer, opened, panel, press, user

from cervis.models import NOT_REQUIRED, PENDING, REGISTERED, Email


def vera():
    return user("vera@example.org")


def test_each_cell_shows_registered_over_capacity_and_offers_coloured_by_state(auth, client, db):
    full, waiting, empty = night(5, "Cook"), night(5, "Shift Asst"), night(5, "SL")
    offer(vera(), full, status=REGISTERED)
    offer(member("Bea"), waiting)
    auth.login(LEO)
    page = board(client).get_data(as_text=True)
    assert f'id="c{full.id}" class="cell full"' in page and "Cook <b>1/1</b> Full" in page
    assert f'id="c{waiting.id}" class="cell offers"' in page and "Shift Asst <b>0/2</b> 1 offer" in page
    assert f'id="c{empty.id}" class="cell short"' in page and "SL <b>0/1</b> short" in page
    assert "<strong>3</strong> slots · <strong>2</strong> still short · <strong>1</strong> pending offers" in page


def test_short_only_and_with_offers_filter_the_month(auth, client, db):
    full, waiting, empty = night(5, "Cook"), night(6, "Shift Asst"), night(7, "SL")
    offer(vera(), full, status=REGISTERED)
    offer(member("Bea"), waiting)
    auth.login(LEO)
    short = board(client, show="short").get_data(as_text=True)
    assert f'id="c{full.id}"' not in short and f'id="c{waiting.id}"' in short and f'id="c{empty.id}"' in short
    offers = board(client, show="offers").get_data(as_text=True)
    assert f'id="c{waiting.id}"' in offers and f'id="c{empty.id}"' not in offers and '<h2 id="d5">' not in offers


def test_a_cell_opens_the_slot_in_place_with_htmx_and_as_a_page_without_javascript(auth, client, db):
    cook = night(5, "Cook")
    offer(vera(), cook)
    auth.login(LEO)
    page = board(client).get_data(as_text=True)
    assert f'href="?month={MONTH}&amp;slot={cook.id}#slot-{cook.id}" hx-get="/leader/slots/{cook.id}/panel"' in page
    fragment = panel(client, cook)
    assert fragment.lstrip().startswith(f'<article class="slot" id="slot-{cook.id}"') and "<html" not in fragment
    assert "autofocus" in fragment  # focus moves to the opened slot
    whole = opened(client, cook)
    assert "<html" in whole and "Vera Volunteer" in whole
    plain = client.get(f"/leader/slots/{cook.id}/panel")
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"slot={cook.id}#slot-{cook.id}")


def test_a_slot_panel_carries_one_form_for_its_offers_and_one_csrf_token(auth, client, db):
    cook = night(5, "Shift Asst")
    for name in ("Bea", "Cal", "Dee"):
        offer(member(name), cook)
    auth.login(LEO)
    fragment = panel(client, cook)
    assert fragment.count("<form") == 1 and fragment.count('name="csrf_token"') == 1


def test_accept_selected_accepts_every_ticked_offer_in_one_go(auth, client, db):
    asst = night(5, "Shift Asst", capacity=2)
    bea, cal, dee = (offer(member(n), asst) for n in ("Bea", "Cal", "Dee"))
    auth.login(LEO)
    body = press(client, asst, "accept", bea, cal, htmx=True).get_data(as_text=True)
    assert "Accepted: 2 offers (Bea Member, Cal Member)" in body
    assert [fresh(r).status for r in (bea, cal, dee)] == [REGISTERED, REGISTERED, PENDING]
    assert Email.select().where(Email.kind == "confirmation").count() == 2


def test_accept_selected_beyond_the_room_left_accepts_none_and_says_why(auth, client, db):
    asst = night(5, "Shift Asst", capacity=2)
    regs = [offer(member(n), asst) for n in ("Bea", "Cal", "Dee")]
    auth.login(LEO)
    body = press(client, asst, "accept", *regs, htmx=True).get_data(as_text=True)
    assert "is Full (2 / 2)" in body and "banner-error" in body
    assert all(fresh(r).status == PENDING for r in regs)  # one transaction: nothing half-done
    assert Email.select().where(Email.kind == "confirmation").count() == 0


def test_not_required_selected_and_a_rows_own_button(auth, client, db):
    asst = night(5, "Shift Asst")
    bea, cal, dee = (offer(member(n), asst) for n in ("Bea", "Cal", "Dee"))
    auth.login(LEO)
    press(client, asst, "not-required", bea, cal)
    assert [fresh(r).status for r in (bea, cal, dee)] == [NOT_REQUIRED, NOT_REQUIRED, PENDING]
    response = press(client, asst, f"accept:{dee.id}", bea)  # the row's button wins over the ticks
    assert response.status_code == 303 and response.headers["Location"].endswith(f"slot={asst.id}#answer")
    assert fresh(dee).status == REGISTERED and fresh(bea).status == NOT_REQUIRED


def test_nothing_ticked_says_so_next_to_the_buttons(auth, client, db):
    asst = night(5, "Shift Asst")
    offer(vera(), asst)
    auth.login(LEO)
    body = press(client, asst, "accept", htmx=True).get_data(as_text=True)
    assert "Tick at least one offer first." in body and body.index('id="answer"') < body.index("</article>")


def test_bulk_actions_are_refused_on_another_groups_offers(auth, client, db):
    north = night(5, "Shift Asst")
    south = night(5, "Shift Asst", group="Southside")
    mine = offer(vera(), north)
    theirs = offer(user("sam@example.org"), south)
    auth.login(LEO)
    assert press(client, north, "accept", mine, theirs).status_code == 404  # ticked beside one of ours
    assert press(client, south, "accept", theirs).status_code == 403  # their slot
    assert fresh(mine).status == PENDING and fresh(theirs).status == PENDING
    auth.logout()
    auth.login(OLGA)
    assert press(client, north, "not-required", mine).status_code == 403


def test_a_full_slot_offers_no_accept_and_says_why(auth, client, db):
    cook = night(5, "Cook")
    offer(vera(), cook, status=REGISTERED)
    offer(member("Bea"), cook)
    auth.login(LEO)
    fragment = panel(client, cook)
    assert "The slot is Full" in fragment
    assert "Accept Selected" not in fragment and 'value="accept:' not in fragment
    assert "Not Required Selected" in fragment


def test_board_first_load_carries_counts_not_offers(auth, client, db):
    slots = [night(day, role) for day in range(1, 15) for role in ("Cook", "Shift Asst", "SL", "Reserve")]
    people = [member(f"P{i}") for i in range(6)]
    for slot in slots:
        for person in people:
            offer(person, slot)
    auth.login(LEO)
    page = board(client).get_data(as_text=True)
    assert "P1 Member" not in page
    assert page.count('name="csrf_token"') <= 1 and page.count("<form") <= 1


def test_dates_that_have_come_link_to_who_came(auth, client, db):
    from datetime import timedelta

    from helpers_leader import slot_in

    from cervis.timeutil import to_local

    past, coming = slot_in(-timedelta(days=1)), slot_in(timedelta(days=40))
    auth.login(LEO)
    for slot in (past, coming):
        local = to_local(slot.starts_at).date()
        page = board(client, slot.opportunity, month=f"{local:%Y-%m}").get_data(as_text=True)
        link = f"/leader/opportunities/{slot.opportunity_id}/attendance/{local.isoformat()}"
        assert (link in page) == (slot is past)


def test_a_slot_with_people_registered_links_to_send_email_to_everyone_registered_that_date(auth, client, db):
    cook = night(5, "Cook")
    offer(vera(), cook, status=REGISTERED)
    auth.login(LEO)
    fragment = panel(client, cook)
    assert "Send E-mail to Selected" in fragment
    url = [part for part in fragment.split('"') if "/message?" in part][0].replace("&amp;", "&")
    page = client.get(url).get_data(as_text=True)
    assert "Vera Volunteer" in page and 'name="subject"' in page
    assert f"slot%3D{cook.id}" in url or f"slot={cook.id}" in url  # back to the slot afterwards
