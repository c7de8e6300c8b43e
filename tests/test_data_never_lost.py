"""Data that is never lost: power cuts, backups and restores."""
import pytest

from cervis.db import database
from conftest import on_postgresql


@pytest.mark.skipif(on_postgresql(), reason="SQLite's pragmas")
def test_a_committed_offer_survives_a_power_cut_because_sqlite_syncs_fully(db):
    assert database.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert database.execute_sql("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert database.execute_sql("PRAGMA secure_delete").fetchone()[0] == 1
