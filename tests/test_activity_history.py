"""The guide's "View or Print Volunteer Activity History": shifts served, service recorded, totals, CSV."""

import csv
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from cervis.models import (
    CANCELLED,
    NOT_REQUIRED,
    PENDING,
    REGISTERED,
    Group,
    Opportunity,
    Registration,
    Role,
    ServiceRecord,
    Slot,
    User,
)
from cervis.timeutil import to_utc

LONDON = ZoneInfo("Europe/London")


def served(
    volunteer, local_start, hours, role="Shift Asst", status=REGISTERED, group="Northside", name="Night Shelter"
):
    """A registration for a slot starting at a wall-clock time in London."""
    group = Group.get(Group.name == group)
    opportunity, _ = Opportunity.get_or_create(group=group, name=name)
    start = to_utc(local_start, LONDON)
    slot = Slot.create(
        opportunity=opportunity,
        role=Role.get(Role.group == group, Role.name == role),
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
    )
    return Registration.create(volunteer=volunteer, slot=slot, status=status)


def service(volunteer, day, minutes, description="Sorted donations"):
    return ServiceRecord.create(
        volunteer=volunteer,
        group=Group.get(Group.name == "Northside"),
        day=day,
        minutes=minutes,
        description=description,
    )


def vera():
    return User.by_email("vera@example.org")


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_history_lists_past_shifts_and_service_newest_first_with_totals(auth, client, db):
    me = vera()
    served(me, datetime(2025, 10, 9, 18, 0), 3, role="Cook")
    service(me, date(2025, 10, 20), 90, "Sorted the winter coats")
    served(me, datetime(2025, 10, 16, 18, 0), 3, status=PENDING)
    served(me, datetime(2025, 10, 17, 18, 0), 3, status=CANCELLED)
    served(me, datetime(2025, 10, 18, 18, 0), 3, status=NOT_REQUIRED)
    upcoming = datetime.now(LONDON).replace(tzinfo=None, second=0, microsecond=0) + timedelta(days=3)
    served(me, upcoming, 3, role="SL")
    served(User.by_email("sam@example.org"), datetime(2025, 10, 9, 18, 0), 3, group="Southside")
    auth.login()
    page = client.get("/portal/history").get_data(as_text=True)
    assert "View or Print Volunteer Activity History" in page
    assert "<strong>4.5</strong> Hours" in page
    assert "<strong>2</strong> Activities" in page and "<strong>2</strong> Days" in page
    assert "Thu, Oct 9, 2025 - 6:00 PM to 9:00 PM" in page and "Cook" in page
    assert page.index("Sorted the winter coats") < page.index("Thu, Oct 9, 2025")
    for absent in ("Oct 16", "Oct 17", "Oct 18", "Southside", ">SL<"):
        assert absent not in page


def test_night_shift_across_the_october_clock_change_counts_its_real_hours(auth, client, db):
    me = vera()
    # Sat 25 Oct 2025, 8 PM BST to Sun 26 Oct, 8 AM GMT: the clocks go back, so 13 hours, not 12.
    night = served(me, datetime(2025, 10, 25, 20, 0), 13)
    assert night.slot.ends_at == datetime(2025, 10, 26, 8, 0)
    service(me, date(2025, 10, 25), 60, "Made up the beds before the shift")
    auth.login()
    page = client.get("/portal/history").get_data(as_text=True)
    assert "Sat, Oct 25, 2025 - 8:00 PM to 8:00 AM (Sun)" in page
    assert "<strong>14</strong> Hours" in page and "<strong>2</strong> Activities" in page
    assert "<strong>1</strong> Days" in page  # the night and the beds were one day's service
    rows = csv_rows(client.get("/portal/history.csv"))
    assert [
        "2025-10-25",
        "Sat, Oct 25, 2025 - 8:00 PM to 8:00 AM (Sun)",
        "Shift",
        "Night Shelter",
        "Shift Asst",
        "Northside",
        "13",
    ] in rows


def test_history_with_nothing_yet_says_so(auth, client, db):
    auth.login()
    page = client.get("/portal/history").get_data(as_text=True)
    assert "No activity to show" in page and "<strong>0</strong> Hours" in page


def test_history_between_two_dates_counts_only_those(auth, client, db):
    me = vera()
    served(me, datetime(2025, 9, 4, 18, 0), 3)
    served(me, datetime(2025, 10, 9, 18, 0), 2)
    service(me, date(2025, 11, 1), 30)
    auth.login()
    page = client.get("/portal/history?from=2025-10-01&to=2025-10-31").get_data(as_text=True)
    assert "<strong>2</strong> Hours" in page and "<strong>1</strong> Activities" in page
    assert "Sep 4" not in page and "Nov 1" not in page
    assert 'href="/portal/history.csv?from=2025-10-01&amp;to=2025-10-31"' in page
    rows = csv_rows(client.get("/portal/history.csv?from=2025-10-01&to=2025-10-31"))
    assert len(rows) == 2 and rows[1][0] == "2025-10-09"
    assert "<strong>3</strong> Activities" in client.get("/portal/history?from=nonsense").get_data(as_text=True)


def test_csv_download_holds_every_activity_and_defuses_formulas(auth, client, db):
    me = vera()
    served(me, datetime(2025, 10, 9, 18, 0), 3, name="=Night Shelter")
    service(me, date(2025, 10, 10), 45, '=HYPERLINK("http://evil.example","click")')
    service(me, date(2025, 10, 11), 60, "-5 degrees, so we made soup")
    service(me, date(2025, 10, 12), 15, "@SUM(A1:A9)")
    service(me, date(2025, 10, 13), 15, "+44 7700 900000 rang")
    auth.login()
    response = client.get("/portal/history.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="volunteer-activity-history-')
    rows = csv_rows(response)
    assert rows[0] == ["Date", "Date/Time", "Type", "Activity", "Details", "Group", "Hours"]
    assert len(rows) == 6
    assert rows[1][:3] == ["2025-10-13", "Mon, Oct 13, 2025", "Service Project"]
    assert rows[1][4] == "'+44 7700 900000 rang" and rows[1][6] == "0.25"
    assert rows[2][4] == "'@SUM(A1:A9)"
    assert rows[3][4] == "'-5 degrees, so we made soup"
    assert rows[4][4] == '\'=HYPERLINK("http://evil.example","click")' and rows[4][6] == "0.75"
    assert rows[5][3] == "'=Night Shelter" and rows[5][6] == "3"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_csv_holds_only_my_own_activity(auth, client, db):
    service(User.by_email("sam@example.org"), date(2025, 10, 10), 60, "Sam's project")
    service(vera(), date(2025, 10, 10), 60, "Vera's project")
    auth.login()
    body = client.get("/portal/history.csv").get_data(as_text=True)
    assert "Vera's project" in body and "Sam's project" not in body


def test_history_page_is_ready_to_print_on_a4(auth, client, db):
    served(vera(), datetime(2025, 10, 9, 18, 0), 3)
    auth.login()
    page = client.get("/portal/history").get_data(as_text=True)
    assert '<p class="print-only">Wycombe Example Connection: Vera Volunteer.' in page
    assert 'class="card no-print history-period"' in page
    response = client.get("/static/cervis.css")
    css = response.get_data(as_text=True)
    response.close()
    assert "size: A4" in css and "table.history tr { break-inside: avoid" in css


def test_history_and_csv_need_a_log_in(client, db):
    for url in ("/portal/history", "/portal/history.csv"):
        response = client.get(url)
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_every_table_that_may_scroll_sideways_is_a_labelled_region_the_keyboard_reaches():
    """axe's scrollable-region-focusable: a table wider than its box scrolls by keyboard too."""
    templates = Path(__file__).resolve().parent.parent / "templates"
    unreachable = [
        f"{path.name}: {tag}"
        for path in templates.rglob("*.html")
        for tag in re.findall(r'<div class="table-wrap"[^>]*>', path.read_text())
        if 'tabindex="0"' not in tag or 'role="region"' not in tag or "aria-label" not in tag
    ]
    assert not unreachable, unreachable
