"""Schema changes after the first release, applied in order by init-db.

Each migration is a function of a playhouse.migrate migrator; its number is kept in
the SchemaVersion table so it runs once. Append new ones to MIGRATIONS, never edit old ones.
"""

from decimal import Decimal

import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from . import models
from .db import BaseModel, database, is_sqlite, utcnow
from .models import Announcement, Opportunity, Organisation, Slot
from .months import month_key, month_of


class SchemaVersion(BaseModel):
    version = peewee.IntegerField()


def _rota_indexes(m):
    """What Leader Home and the rota board ask most: a month's slots, counts by status, recent
    cancellations. IF NOT EXISTS: create_tables(safe=True) may have made them from the models."""
    for name, table, columns in (
        ("registration_cancelled_at", "registration", "cancelled_at"),
        ("registration_slot_id_status", "registration", "slot_id, status"),
        ("slot_opportunity_id_starts_at", "slot", "opportunity_id, starts_at"),
    ):
        m.database.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
    return []


def _retention_years(m):
    """Organisation Settings' retention time; only where it is missing, so a second run does nothing."""
    if "retention_years" in {c.name for c in m.database.get_columns("organisation")}:
        return []
    return [m.add_column("organisation", "retention_years", peewee.IntegerField(default=3))]


def _session_lifetime(m):
    """The absolute session lifetime, in hours; a column already there (made by create_tables) stays."""
    if "session_lifetime" in {c.name for c in m.database.get_columns("organisation")}:
        return []
    return [m.add_column("organisation", "session_lifetime", peewee.IntegerField(default=12))]


def _email_keys_and_announcements(m):
    """Email.key (unique: a job's email is queued once), a leader's name and Reply-To on an email,
    the deadline reminder setting, and when each slot was made (announcements wait for a batch)."""
    _already_announced(utcnow())
    # Only what is missing: run again over a database that has it (as a test of the migrations
    # before it does), it changes nothing.
    have = {(t, c.name) for t in ("email", "organisation", "slot") for c in m.database.get_columns(t)}
    added = [
        (t, c, f)
        for t, c, f in (
            ("email", "key", peewee.CharField(null=True)),
            ("email", "from_name", peewee.CharField(default="")),
            ("email", "reply_to", peewee.CharField(default="")),
            ("organisation", "deadline_reminder_days", peewee.IntegerField(default=3)),
            ("slot", "created_at", peewee.DateTimeField(default=utcnow)),
        )
        if (t, c) not in have
    ]
    ops = [m.add_column(t, c, f) for t, c, f in added]
    if ("email", "key") not in have or "email_key" not in {i.name for i in m.database.get_indexes("email")}:
        ops.append(m.add_index("email", ("key",), True))
    return ops


def _already_announced(now):
    """Months live before announcements existed were told about by hand: never announce them again."""
    from zoneinfo import ZoneInfo

    # Only the columns that exist before this migration's own.
    zone = ZoneInfo(Organisation.select(Organisation.timezone).order_by(Organisation.id).scalar() or "Europe/London")
    rows = (
        Slot.select(Slot.id, Slot.opportunity, Slot.starts_at)
        .join(Opportunity)
        .where(Opportunity.live_from <= now, Slot.starts_at > now)
        .tuples()
    )
    newest = {}
    for slot_id, opportunity_id, starts_at in rows:
        key = (opportunity_id, month_key(month_of(starts_at, zone)))
        newest[key] = max(newest.get(key, 0), slot_id)
    for (opportunity_id, month), upto in newest.items():
        Announcement.insert(
            opportunity=opportunity_id,
            month=month,
            kind="before",
            upto_slot=upto,
            key=f"before:{opportunity_id}:{month}",
            at=now,
        ).on_conflict_ignore().execute()


def _drop_status_index(m):
    """See Registration.status: SQLite without statistics chose it and read every pending offer."""
    m.database.execute_sql('DROP INDEX IF EXISTS "registration_status"')
    return []


def _history_indexes(m):
    """Lookups that read all history without them: each person's latest action (the retention
    reminder), a registration's emails (undo, Complete Rota), the outbox's next emails (every 20
    seconds)."""
    for name, table, columns in (
        ("auditlog_actor_id_at", "auditlog", "actor_id, at"),
        ("email_subject_type_subject_id", "email", "subject_type, subject_id"),
    ):
        m.database.execute_sql(f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ({columns})')
    m.database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "email_outbox" ON "email" ("status", "urgent" DESC, "send_after", "id")'
    )
    m.database.execute_sql('DROP INDEX IF EXISTS "email_status"')  # email_outbox begins with it
    return []


def _proof_gained_on(m):
    """The date a volunteer says they gained a qualification, sent in with its proof (a renewal
    keeps the grant it renews until the proof is decided). Databases whose grant table was made
    after this column are left alone."""
    columns = {c.name for c in m.database.get_columns("qualificationgrant")}
    if "proof_gained_on" in columns:
        return []
    return [m.add_column("qualificationgrant", "proof_gained_on", peewee.DateField(null=True))]


def _application_retention(m):
    """How long a declined or withdrawn application (and its references) is kept before erasure."""
    columns = {c.name for c in m.database.get_columns("organisation")}
    if "application_retention_months" in columns:
        return []
    return [m.add_column("organisation", "application_retention_months", peewee.IntegerField(default=6))]


def _waiting_offer_hours(m):
    """How long a place offered from a waiting list waits for its taker (the tables are new ones)."""
    columns = {c.name for c in m.database.get_columns("organisation")}
    if "waiting_offer_hours" in columns:
        return []
    return [m.add_column("organisation", "waiting_offer_hours", peewee.IntegerField(default=6))]


def _hourly_value(m):
    """What a volunteer hour is worth, for the statistics and the funder's report."""
    columns = {c.name for c in m.database.get_columns("organisation")}
    if "hourly_value" in columns:
        return []
    field = peewee.DecimalField(max_digits=8, decimal_places=2, default=Decimal("12.71"))
    return [m.add_column("organisation", "hourly_value", field)]


def _statistics_index(m):
    """(slot, status) grows the volunteer: the statistics read a period's offers by volunteer from the
    index alone (twice as fast at the benchmark's size); every query of (slot, status) still uses it."""
    m.database.execute_sql(
        'CREATE INDEX IF NOT EXISTS "registration_slot_id_status_volunteer_id" ON "registration" '
        "(slot_id, status, volunteer_id)"
    )
    m.database.execute_sql('DROP INDEX IF EXISTS "registration_slot_id_status"')
    return []


def _opt_out_dates(m):
    """When a volunteer stopped a group's announcements or its leaders' messages (Download My Data
    says so); those stopped before are kept without a date, since nobody knows it."""
    return [
        m.add_column(table, "at", peewee.DateTimeField(null=True))
        for table in ("announcementoptout", "leadermessageoptout")
        if "at" not in {c.name for c in m.database.get_columns(table)}
    ]


def _languages(m):
    """A volunteer's chosen language ("" = the organisation's) and the organisation's default."""
    ops = []
    if "language" not in {c.name for c in m.database.get_columns("user")}:
        ops.append(m.add_column("user", "language", peewee.CharField(default="")))
    if "language" not in {c.name for c in m.database.get_columns("organisation")}:
        ops.append(m.add_column("organisation", "language", peewee.CharField(default="en")))
    return ops


# e.g. lambda m: [m.add_column("user", "pronouns", peewee.CharField(null=True))]
MIGRATIONS = [
    _rota_indexes,
    _retention_years,
    _session_lifetime,
    _email_keys_and_announcements,
    _drop_status_index,
    _history_indexes,
    _proof_gained_on,
    _application_retention,
    _waiting_offer_hours,
    _hourly_value,
    _statistics_index,
    _opt_out_dates,
    _languages,
]


def apply():
    database.create_tables([SchemaVersion], safe=True)
    row = SchemaVersion.select().first()
    if row is None:
        # A fresh database is created at the newest schema: nothing to migrate.
        SchemaVersion.create(version=len(MIGRATIONS))
        return
    migrator = SqliteMigrator(database) if is_sqlite() else PostgresqlMigrator(database)
    # SQLite rebuilds a table to add a NOT NULL column: with foreign keys on, dropping the old
    # "slot" cascades to every registration. Off during migrations (only outside a transaction),
    # checked afterwards, on again whatever happens.
    if is_sqlite():
        database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        for number in range(row.version, len(MIGRATIONS)):
            with database.atomic():
                migrate(*MIGRATIONS[number](migrator))
                SchemaVersion.update(version=number + 1).execute()
        if is_sqlite() and database.execute_sql("PRAGMA foreign_key_check").fetchall():
            raise RuntimeError("a migration left rows pointing at nothing: restore the backup")
    finally:
        if is_sqlite():
            database.execute_sql("PRAGMA foreign_keys = ON")


def init_db():
    """Idempotent: creates missing tables, applies migrations, seeds empty lists."""
    with database.connection_context():
        # New tables first (a migration may fill one), then the migrations, then every index the
        # models name. Not create_tables over existing tables before their migrations: an index on
        # a column a migration has yet to add would fail (PostgreSQL), or on SQLite index the
        # quoted name as a constant string.
        existing = set(database.get_tables())
        database.create_tables([m for m in models.ALL if m._meta.table_name not in existing])
        apply()
        database.create_tables(models.ALL, safe=True)
        models.seed_lists()
        # Fresh statistics for the query planner: without them SQLite reads a month's counts through
        # the low-selectivity status index (0.5 s at the benchmark's scale) instead of the slot's (1 ms).
        database.execute_sql("ANALYZE")
