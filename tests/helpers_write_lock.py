"""Whether this thread holds the app's write lock (cervis.db.write_transaction) at this moment."""

from cervis import db as cervis_db
from cervis.db import database

# PostgreSQL keeps a bigint advisory lock's key in two 32-bit halves.
HOLDS_PG_WRITE_LOCK = """SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
                            AND granted AND (classid::bigint << 32 | objid::bigint) = %s"""


def holds_write_lock(execute_sql=None):
    """`execute_sql`: the database's own, when the test watches database.obj.execute_sql."""
    if cervis_db.is_sqlite():
        return cervis_db._sqlite_writer.locked()
    execute_sql = execute_sql or database.obj.execute_sql
    return execute_sql(HOLDS_PG_WRITE_LOCK, (cervis_db.PG_WRITE_LOCK_ID,)).fetchone() is not None


def rendered_under_the_lock(monkeypatch):
    """[True or False for each email rendered from here]: True where it was rendered under the write lock."""
    from cervis import emails

    seen, real = [], emails.Letters.render

    def watched(self, *args, **kwargs):
        seen.append(holds_write_lock())
        return real(self, *args, **kwargs)

    monkeypatch.setattr(emails.Letters, "render", watched)
    return seen
