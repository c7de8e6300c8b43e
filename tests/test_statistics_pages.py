"""The Statistics page, the funder's report and its spreadsheets: who sees which figures, and the same
numbers on the portal home, the history, the statistics and the report."""

import csv
import io
import random
from decimal import Decimal
from datetime import timedelta

from helpers_rota import LEO, OLGA, ZONE, opportunity
from helpers_settings import settings
from helpers_statistics import SEASON, day, figures, mark, member, served

from cervis import demo
from cervis.db import utcnow
from cervis.leader.statistics_report import report_rows
from cervis.models import Group, Organisation, Registration, ServiceRecord, User
from cervis.models.attendance import volunteer_totals
from cervis.statistics import period as periods
from cervis.volunteer.history import activity_history

SEASON_ARGS = {"period": "season", "season": str(SEASON)}


def test_leaders_and_administrators_find_statistics_in_the_menu(auth, client, db):
    auth.login(LEO)
    assert 'href="/leader/statistics"' in client.get("/leader/").get_data(as_text=True)
    auth.logout()
    auth.login()
    assert 'href="/leader/statistics"' not in client.get("/portal/").get_data(as_text=True)
    assert client.get("/leader/statistics").status_code == 403


def test_a_leader_sees_their_groups_and_another_groups_figures_are_refused(auth, client, db):
    served(member("Rex"), day(11, 3), hours=5)
    served(User.by_email("sam@example.org"), day(11, 3), group="Southside", hours=7)
    south = Group.get(Group.name == "Southside")
    auth.login(LEO)
    page = client.get("/leader/statistics", query_string=SEASON_ARGS)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Southside" not in text and ">5<" in text
    for args in ({"group": south.id}, {"opportunity": opportunity("Southside").id}):
        for path in ("/leader/statistics", "/leader/statistics/report", "/leader/statistics/report.csv"):
            assert client.get(path, query_string={**SEASON_ARGS, **args}).status_code == 403
    assert client.get("/leader/statistics/report.xlsx", query_string={"group": south.id}).status_code == 403
    auth.logout()
    auth.login("ada@example.org")
    text = client.get("/leader/statistics", query_string=SEASON_ARGS).get_data(as_text=True)
    assert "Southside" in text and ">12<" in text


def test_a_badly_chosen_period_is_explained_beside_its_field_and_keeps_what_was_typed(auth, client, db):
    auth.login(OLGA)
    page = client.get("/leader/statistics", query_string={"period": "dates", "from": "2026-02-30", "to": "soon"})
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Please enter the first date" in text and 'value="soon"' in text
    assert client.get("/leader/statistics", query_string={"role": "Juggler"}).status_code == 404


def test_the_report_escapes_formulas_in_csv_and_xlsx(auth, client, db):
    from openpyxl import load_workbook

    served(member("Rex"), day(12, 9))
    Group.update(name='=HYPERLINK("http://x")').where(Group.name == "Northside").execute()
    auth.login("ada@example.org")
    answer = client.get("/leader/statistics/report.csv", query_string=SEASON_ARGS)
    assert answer.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(answer.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    xlsx = client.get("/leader/statistics/report.xlsx", query_string=SEASON_ARGS)
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    venues = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert venues[0].value == '\'=HYPERLINK("http://x")' and venues[0].data_type == "s"
    assert sheet.cell(row=2, column=3).value == 3  # numbers stay numbers


def test_the_printable_report_shows_hours_and_value_per_venue_and_month(auth, client, db):
    served(member("Rex"), day(12, 9), hours=4)
    auth.login("ada@example.org")
    text = client.get("/leader/statistics/report", query_string=SEASON_ARGS).get_data(as_text=True)
    assert "December" in text and "50.84" in text  # 4 hours at £12.71
    assert "Download XLSX" in text


def test_an_administrator_sets_the_value_of_a_volunteer_hour(auth, client, db):
    auth.login("ada@example.org")
    assert client.post("/admin/settings", data=settings(hourly_value="13.50")).status_code == 303
    assert Organisation.select().first().hourly_value == Decimal("13.50")
    page = client.post("/admin/settings", data=settings(hourly_value="-1"))
    assert page.status_code == 400
    assert "between 0 and 1000" in page.get_data(as_text=True)
    assert 'value="-1"' in page.get_data(as_text=True)
    page = client.post("/admin/settings", data=settings(hourly_value="twelve"))
    assert "Please enter an amount in pounds, for example 12.71." in page.get_data(as_text=True)
    client.post("/admin/settings", data=settings(hourly_value="£12.90"))
    assert Organisation.select().first().hourly_value == Decimal("12.90")


def _agree(volunteers, period):
    """The portal home's hours (all time), the history's, the statistics' and the report's agree."""
    now = utcnow()
    home = sum(volunteer_totals(v, now, ZONE)["hours"] for v in volunteers)
    history = sum(activity_history(v, now)[1]["hours"] for v in volunteers)
    stats = figures(period)
    report = report_rows(stats)[-1][2]
    assert round(home, 2) == round(history, 2) == round(stats.total.hours, 2) == report
    assert sum(r[2] for r in report_rows(stats)[:-1]) == report


def test_the_portal_home_the_history_the_statistics_and_the_report_agree_on_random_data(db):
    rng = random.Random(18)
    people = [member(f"Rand{i}") for i in range(6)] + [User.by_email("vera@example.org")]
    for n in range(40):
        when = day(10, 1) + timedelta(days=rng.randrange(0, 180))
        reg = served(rng.choice(people), when, rng.choice(["Cook", "Shift Asst", "SL"]), hours=rng.choice([3, 12]))
        if rng.random() < 0.3:
            mark(reg, rng.random() < 0.6)
        if rng.random() < 0.1:
            reg.status = "cancelled"
            reg.save()
    for v in people[:3]:
        ServiceRecord.create(volunteer=v, day=day(11, 1), minutes=rng.choice([15, 90]))
    ServiceRecord.create(volunteer=people[4], day=day(1, 2), minutes=45, group=Group.get(Group.name == "Northside"))
    _agree([p.id for p in people], periods.Period("dates", day(1, 1, SEASON), day(12, 31, SEASON + 1)))


def test_the_portal_home_the_history_the_statistics_and_the_report_agree_on_the_demo(db):
    demo.load()
    volunteers = [u for (u,) in Registration.select(Registration.volunteer).distinct().tuples()]
    volunteers += [u for (u,) in ServiceRecord.select(ServiceRecord.volunteer).distinct().tuples()]
    today = utcnow().date()
    _agree(sorted(set(volunteers)), periods.Period("dates", today - timedelta(days=3650), today + timedelta(days=400)))
