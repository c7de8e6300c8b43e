"""init-db on a database made before the announcements: the columns, the unique key index, and no
announcement of a month that was live already."""

from datetime import timedelta

import pytest

from cervis import announcements, migrations
from cervis.db import database, utcnow
from cervis.migrations import init_db
from cervis.models import (
    Announcement,
    AnnouncementOptOut,
    Email,
    EmailOpening,
    Group,
    LeaderMessageOptOut,
    Membership,
    Opportunity,
    Organisation,
    Registration,
    Role,
    Slot,
    User,
)
from conftest import on_postgresql

ADDED = [
    ("email", "key"),
    ("email", "from_name"),
    ("email", "reply_to"),
    ("organisation", "deadline_reminder_days"),
    ("slot", "created_at"),
]


@pytest.mark.skipif(on_postgresql(), reason="rebuilds the old schema with SQLite's DROP COLUMN")
def test_init_db_upgrades_a_database_from_before_the_announcements(app):
    with app.app_context():
        with database.connection_context():
            _the_old_schema()
        init_db()
        init_db()  # safe on every start
        with database.connection_context():
            assert Organisation.current().deadline_reminder_days == 3
            assert [i.sql for i in database.get_indexes("email") if i.name == "email_key"] == [
                'CREATE UNIQUE INDEX "email_key" ON "email" ("key")'
            ]
            assert Email.select().count() == 3
            # The slot table is rebuilt to add created_at: its registrations must survive it.
            assert Registration.select().count() == 2 and Membership.select().count() >= 4
            assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
            assert announcements.announce_due(utcnow() + timedelta(hours=1)) == []  # it was live before
            assert LeaderMessageOptOut.select().count() == 0  # a new table: init-db makes it


def _the_old_schema():
    north = Group.get(Group.name == "Northside")
    opp = Opportunity.create(group=north, name="Night Shelter", live_from=utcnow() - timedelta(days=1))
    start = utcnow() + timedelta(days=10)
    slot = Slot.create(
        opportunity=opp,
        role=Role.get(Role.group == north, Role.name == "Cook"),
        starts_at=start,
        ends_at=start + timedelta(hours=12),
    )
    for email in ("vera@example.org", "leo@example.org"):
        Registration.create(volunteer=User.by_email(email), slot=slot)
    for i in range(3):
        Email.create(kind="welcome", to_addr="a@example.org", subject="s", body_text="b", message_id=f"<{i}@t>")
    database.execute_sql('DROP INDEX "email_key"')
    for table, column in ADDED:
        database.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    database.drop_tables([Announcement, AnnouncementOptOut, EmailOpening, LeaderMessageOptOut])
    migrations.SchemaVersion.update(version=0).execute()


def test_init_db_gives_an_older_database_the_indexes_its_models_name_without_a_migration_of_their_own(app):
    def names():
        return {i.name for i in database.get_indexes("registration") + database.get_indexes("qualificationgrant")}

    with app.app_context():
        with database.connection_context():
            database.execute_sql('DROP INDEX "registration_volunteer_id_status_slot_id"')
            database.execute_sql('DROP INDEX "qualificationgrant_proof_waiting"')
            assert "qualificationgrant_proof_waiting" not in names()
        init_db()
        with database.connection_context():
            assert {"registration_volunteer_id_status_slot_id", "qualificationgrant_proof_waiting"} <= names()
