"""Qualification columns in Import Volunteers: a heading that names a qualification holds the date
each volunteer gained it (2026-03-31 or 31/03/2026); the expiry follows from the qualification.

A criminal-record check has no column: its level, certificate number and decision are recorded by
an administrator on the volunteer's page. Importing the file again changes nothing: a grant is
recorded only where the file's date is later than the one held.
"""

import re
from datetime import date, datetime

from .. import training
from ..models import Qualification, QualificationGrant

FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
EARLIEST = date(1950, 1, 1)


class CriminalRecordColumn(ValueError):
    pass


def _key(text):
    return re.sub(r"[^a-z0-9]", "", text.lower())


def column_key(cell, qualifications=None):
    """("training", id) for a heading that names a qualification, else None."""
    for q in qualifications if qualifications is not None else Qualification.ordered():
        if _key(q.name) and _key(q.name) == _key(cell):
            if q.criminal_record_check:
                raise CriminalRecordColumn(
                    f"The column “{cell}” is a criminal-record check: an administrator "
                    "records those on each volunteer's page. Please remove the column."
                )
            return ("training", q.id)
    return None


def cells_of(values):
    """{qualification id: the cell's text} for one row's values keyed by column."""
    return {key[1]: text for key, text in values.items() if isinstance(key, tuple) and text}


def parse(text):
    for pattern in FORMATS:
        try:
            day = datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        return day if EARLIEST <= day <= date.today() else None
    return None


def problems(row, names):
    """Why the row's qualification dates cannot be used; fills row.training_dates."""
    found = []
    row.training_dates = {}
    for qualification_id, text in row.training.items():
        day = parse(text)
        if day is None:
            found.append(
                f"Bad date for {names[qualification_id]}: “{text}” (use 2026-03-31 or 31/03/2026, not in the future)"
            )
        else:
            row.training_dates[qualification_id] = day
    return found


def record(actor, volunteer, row):
    """Inside the import's transaction: the row's qualifications for this volunteer, where newer."""
    held = {
        g.qualification_id: g.gained_on
        for g in QualificationGrant.select().where(
            QualificationGrant.volunteer == volunteer, QualificationGrant.state == "granted"
        )
    }
    for qualification_id, day in row.training_dates.items():
        if held.get(qualification_id) is None or held[qualification_id] < day:
            qualification = Qualification.get_by_id(qualification_id)
            training.record(
                actor,
                volunteer,
                qualification,
                day,
                training.default_expiry(qualification, day),
                "From Import Volunteers",
            )


def described(row, names):
    return (
        "; training: " + ", ".join(f"{names[q]} {d:%-d %b %Y}" for q, d in row.training_dates.items())
        if getattr(row, "training_dates", None)
        else ""
    )
