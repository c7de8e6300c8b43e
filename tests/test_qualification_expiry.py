"""Expiry is a cycle: the volunteer hears 60 and 14 days before, the leaders get a weekly digest,
and the rota board and Leader Home show places held by someone whose training will have lapsed."""

import threading
from datetime import date, datetime, timedelta

from conftest import emails_to
from helpers_qualifications import SAFEGUARDING, SL_TRAINING, grant, lee, person, quinn, sl_needs_training
from helpers_rota import LEO, YEAR, board, night, offer

from cervis import qualification_expiry, scheduler
from cervis.models import REGISTERED, QualificationGrant, QualificationOverride, User

NOON = datetime(YEAR, 1, 5, 12)  # a Monday's noon in winter: UTC and London agree
TODAY = NOON.date()


def run(app, now):
    """The scheduler's job, in a thread of its own as the scheduler runs it (a connection of its own)."""
    result = []
    thread = threading.Thread(target=lambda: result.append(qualification_expiry.expiry_notices(app, now)))
    thread.start()
    thread.join(timeout=60)
    return result[0]


def test_the_job_is_registered_with_the_scheduler_under_a_name_of_its_own():
    assert (qualification_expiry.expiry_notices, 3600) in scheduler.JOBS
    names = [fn.__name__ for fn, _ in scheduler.JOBS]  # the scheduler's job ids
    assert len(names) == len(set(names))


def test_the_volunteer_hears_60_then_14_days_before_and_once_each_across_restarts(app, db):
    volunteer = person("Ivy")
    grant(volunteer, SAFEGUARDING, expires_on=TODAY + timedelta(days=60))
    run(app, NOON - timedelta(days=1))  # 61 days before: nothing yet
    assert emails_to("ivy@example.org", "qualification-expiring") == []
    run(app, NOON)
    run(app, NOON + timedelta(hours=1))  # the next hour's run, or a restarted scheduler
    [first] = emails_to("ivy@example.org", "qualification-expiring")
    assert first.subject.startswith(f"{SAFEGUARDING} runs out on")
    assert "60 days from today" in first.body_text and "/portal/profile#training" in first.body_text
    run(app, NOON + timedelta(days=30))  # 30 days before: still the 60-day stage, already sent
    assert len(emails_to("ivy@example.org", "qualification-expiring")) == 1
    run(app, NOON + timedelta(days=46))
    run(app, NOON + timedelta(days=47))
    stages = emails_to("ivy@example.org", "qualification-expiring")
    assert len(stages) == 2 and "14 days from today" in stages[1].body_text


def test_everyone_due_in_one_run_is_told(app, db):
    for first in ("Ivy", "Gus", "Ada2"):
        grant(person(first), SAFEGUARDING, expires_on=TODAY + timedelta(days=30))
    assert qualification_expiry.tell_volunteers(NOON) == 3
    assert all(len(emails_to(f"{n}@example.org", "qualification-expiring")) == 1 for n in ("ivy", "gus", "ada2"))


def test_a_grant_first_seen_ten_days_out_gets_only_the_14_day_email(app, db):
    volunteer = person("Ivy")
    grant(volunteer, SAFEGUARDING, expires_on=TODAY + timedelta(days=10))
    run(app, NOON)
    run(app, NOON + timedelta(days=1))
    [only] = emails_to("ivy@example.org", "qualification-expiring")
    assert "10 days from today" in only.body_text


def test_a_renewed_grant_starts_a_new_cycle_and_one_for_good_never_warns(app, db):
    volunteer = person("Ivy")
    held = grant(volunteer, SAFEGUARDING, expires_on=TODAY + timedelta(days=14))
    grant(volunteer, SL_TRAINING)  # never expires
    run(app, NOON)
    held.expires_on = TODAY + timedelta(days=14 + 3 * 365)
    held.save()
    run(app, NOON + timedelta(days=3 * 365 - 46))
    kinds = [e.body_text for e in emails_to("ivy@example.org", "qualification-expiring")]
    assert len(kinds) == 2 and all(SL_TRAINING not in k for k in kinds)


def test_waiting_proof_and_inactive_volunteers_are_not_warned(app, db):
    volunteer = person("Ivy")
    grant(volunteer, SAFEGUARDING, expires_on=TODAY + timedelta(days=14), state="waiting")
    gone = person("Gus")
    grant(gone, SAFEGUARDING, expires_on=TODAY + timedelta(days=14))
    User.update(active=False).where(User.id == gone.id).execute()
    run(app, NOON)
    assert emails_to("ivy@example.org") == [] and emails_to("gus@example.org") == []


def test_leaders_get_a_weekly_digest_of_what_runs_out_and_of_lapsed_rota_places(app, db):
    sl_needs_training()
    lapsing = lee(lapses_on=TODAY + timedelta(days=20))
    held = offer(lapsing, night(12, "SL"), status=REGISTERED)  # February: after the training runs out
    offer(quinn(), night(13, "SL"), status=REGISTERED)
    run(app, NOON)
    run(app, NOON + timedelta(days=2))  # the same week: nothing new
    [digest] = emails_to(LEO, "qualification-digest")
    assert digest.subject.startswith("Northside: training and checks running out, 1 rota place")
    assert f"Lee Member: {SL_TRAINING}, valid until" in digest.body_text
    assert f"SL (Northside Night Shelter): Lee Member, {SL_TRAINING} not valid" in digest.body_text
    assert "Quinn" not in digest.body_text
    run(app, NOON + timedelta(days=7))  # next week's
    assert len(emails_to(LEO, "qualification-digest")) == 2
    QualificationOverride.create(registration=held, reason="Renewal booked", by=User.by_email(LEO))
    QualificationGrant.delete().where(QualificationGrant.volunteer == lapsing).execute()
    run(app, NOON + timedelta(days=14))  # overridden and nothing running out: no news, no digest
    assert len(emails_to(LEO, "qualification-digest")) == 2


def test_the_board_cell_and_leader_home_show_the_lapsed_place(auth, client, db):
    sl_needs_training()
    lapsing = lee(lapses_on=date(YEAR, 2, 10))
    before, after = night(5, "SL"), night(12, "SL")
    offer(lapsing, before, status=REGISTERED)
    offer(lapsing, after, status=REGISTERED)
    auth.login(LEO)
    page = board(client).get_data(as_text=True)
    assert page.count("SL lapsed") == 1
    assert f'id="c{after.id}"' in page.split("SL lapsed")[0].rsplit("<a ", 1)[1]
    assert "SL lapsed" not in client.get("/leader/").get_data(as_text=True)  # beyond the next 8 weeks


def test_leader_home_shows_a_lapsed_place_in_the_next_eight_weeks(auth, client, db):
    from helpers_registrations import shift

    sl_needs_training()
    soon = shift("SL", starts_in=timedelta(days=10), capacity=1)
    offer(lee(lapses_on=(soon.starts_at - timedelta(days=3)).date()), soon, status=REGISTERED)
    auth.login(LEO)
    home = client.get("/leader/").get_data(as_text=True)
    assert "Rota places whose training will have lapsed (next 8 weeks): 1" in home
    assert f"Lee Member: {SL_TRAINING} not valid" in home and "SL lapsed" in home


def test_the_panel_marks_a_registered_place_whose_training_lapsed(auth, client, db):
    from helpers_rota import panel

    sl_needs_training()
    slot = night(12, "SL")
    offer(lee(lapses_on=date(YEAR, 2, 10)), slot, status=REGISTERED)
    auth.login(LEO)
    assert f"SL lapsed: {SL_TRAINING} not valid on this date" in panel(client, slot)
