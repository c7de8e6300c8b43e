"""Schema changes after the first release, applied in order by init-db.

Each migration is a function of a playhouse.migrate migrator; its number is kept in
the SchemaVersion table so it runs once. Append new ones to MIGRATIONS, never edit old ones.
"""
import peewee
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from .db import BaseModel, database, is_sqlite


class SchemaVersion(BaseModel):
    version = peewee.IntegerField()


def _rota_indexes(m):
    """What Leader Home and the rota board ask most: a month's slots, counts by status, recent
    cancellations. IF NOT EXISTS: create_tables(safe=True) may have made them from the models."""
    for name, table, columns in (("registration_cancelled_at", "registration", "cancelled_at"),
                                 ("registration_slot_id_status", "registration", "slot_id, status"),
                                 ("slot_opportunity_id_starts_at", "slot", "opportunity_id, starts_at")):
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


# e.g. lambda m: [m.add_column("user", "pronouns", peewee.CharField(null=True))]
MIGRATIONS = [_rota_indexes, _retention_years, _session_lifetime]


def apply():
    database.create_tables([SchemaVersion], safe=True)
    row = SchemaVersion.select().first()
    if row is None:
        # A fresh database is created at the newest schema: nothing to migrate.
        SchemaVersion.create(version=len(MIGRATIONS))
        return
    migrator = SqliteMigrator(database) if is_sqlite() else PostgresqlMigrator(database)
    for number in range(row.version, len(MIGRATIONS)):
        with database.atomic():
            migrate(*MIGRATIONS[number](migrator))
            SchemaVersion.update(version=number + 1).execute()
