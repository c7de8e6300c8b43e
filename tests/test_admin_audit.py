"""The Audit Log page: who, when, what, and the values before and after; filtered and paginated."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from cervis.models import AuditLog, Group, User
from cervis.timeutil import to_utc

LONDON = ZoneInfo("Europe/London")


def cell(action):
    return f'<td data-label="Action">{action}</td>'


def entry(actor, action, obj=None, when=None, **kw):
    log = AuditLog.record(actor, action, obj, **kw)
    if when is not None:
        AuditLog.update(at=when).where(AuditLog.id == log.id).execute()
    return log


def test_audit_log_shows_who_when_what_and_before_after(auth, client, db):
    ada, vera = User.by_email("ada@example.org"), User.by_email("vera@example.org")
    entry(
        ada,
        "admin-grant",
        vera,
        before={"is_admin": False},
        after={"is_admin": True},
        when=to_utc(datetime(2025, 10, 9, 18, 0), LONDON),
    )
    auth.login("ada@example.org")
    page = client.get("/admin/audit").get_data(as_text=True)
    for words in (
        "Audit Log",
        "Ada Admin",
        "admin-grant",
        "User #",
        "Vera Volunteer",
        "is_admin",
        "<del>No</del> → <ins>Yes</ins>",
        "Thu, Oct 9, 2025 6:00 PM",
    ):
        assert words in page


def test_audit_log_filters_by_person(auth, client, db):
    ada, leo = User.by_email("ada@example.org"), User.by_email("leo@example.org")
    north = Group.get(Group.name == "Northside")
    entry(ada, "settings-change", after={"name": "x"})
    entry(leo, "group-rename", north, before={"name": "North"}, after={"name": "Northside"})
    entry(None, "create-admin", ada)
    auth.login("ada@example.org")
    page = client.get(f"/admin/audit?actor={leo.id}").get_data(as_text=True)
    assert "group-rename" in page and cell("settings-change") not in page
    assert f'<option selected value="{leo.id}">' in page or f'<option value="{leo.id}" selected>' in page
    nobody = client.get("/admin/audit?actor=-1").get_data(as_text=True)
    assert cell("create-admin") in nobody and cell("group-rename") not in nobody


def test_audit_log_filters_by_date_range_in_the_organisations_days(auth, client, db):
    ada = User.by_email("ada@example.org")
    # 23:30 in London on 1 July is 22:30 UTC: it belongs to 1 July, not 2 July.
    entry(ada, "late-evening", when=to_utc(datetime(2025, 7, 1, 23, 30), LONDON))
    entry(ada, "next-morning", when=to_utc(datetime(2025, 7, 2, 9, 0), LONDON))
    entry(ada, "weeks-later", when=to_utc(datetime(2025, 7, 20, 9, 0), LONDON))
    auth.login("ada@example.org")
    page = client.get("/admin/audit?start=2025-07-01&end=2025-07-01").get_data(as_text=True)
    assert cell("late-evening") in page and cell("next-morning") not in page
    page = client.get("/admin/audit?start=2025-07-02").get_data(as_text=True)
    assert cell("next-morning") in page and cell("weeks-later") in page and cell("late-evening") not in page


def test_to_date_before_from_date_is_explained_beside_the_field(auth, client, db):
    auth.login("ada@example.org")
    page = client.get("/admin/audit?start=2025-07-10&end=2025-07-01").get_data(as_text=True)
    assert 'id="end-error"' in page and "must not be before" in page


def test_audit_log_shows_fifty_entries_a_page_newest_first(auth, client, db):
    ada = User.by_email("ada@example.org")
    start = datetime(2025, 1, 1, 12, 0)
    for i in range(60):
        entry(ada, f"change-{i:02d}", when=start + timedelta(hours=i))
    auth.login("ada@example.org")
    first = client.get("/admin/audit").get_data(as_text=True)
    assert first.index(cell("change-59")) < first.index(cell("change-58"))
    assert "change-10" in first and cell("change-09") not in first and "Page 1 of 2" in first
    second = client.get("/admin/audit?page=2").get_data(as_text=True)
    assert cell("change-09") in second and cell("change-59") not in second


def test_an_entry_about_a_removed_object_says_so(auth, client, db):
    ada = User.by_email("ada@example.org")
    group = Group.create(name="Pop-up venue")
    entry(ada, "group-remove", group, before={"name": "Pop-up venue"})
    group.delete_instance()
    auth.login("ada@example.org")
    assert "(since removed)" in client.get("/admin/audit").get_data(as_text=True)
