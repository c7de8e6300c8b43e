"""Arranging training for the tests: the demo's qualifications, grants held, proof sent in."""

from datetime import date, timedelta

from cervis.models import GRANTED, Qualification, QualificationGrant, RecordCheck, User


def qualifications():
    """Safeguarding (36 months), Food hygiene level 2 (36), Shift leader training (never), DBS enhanced."""
    made = {}
    for i, (name, months, crc) in enumerate(
        [
            ("Safeguarding", 36, False),
            ("Food hygiene level 2", 36, False),
            ("Shift leader training", None, False),
            ("DBS enhanced", 36, True),
        ]
    ):
        made[name] = Qualification.create(name=name, valid_months=months, criminal_record_check=crc, position=i)
    return made


def grant(email, qualification, gained_on=None, expires_on="default", **kw):
    gained_on = gained_on or date.today() - timedelta(days=100)
    if expires_on == "default":
        from cervis.training import default_expiry

        expires_on = default_expiry(qualification, gained_on)
    return QualificationGrant.create(
        volunteer=User.by_email(email),
        qualification=qualification,
        gained_on=gained_on,
        expires_on=expires_on,
        **{"state": GRANTED, **kw},
    )


def checked(email, qualification, cleared=True, number="001234567890"):
    g = grant(email, qualification, state=GRANTED if cleared else "not-cleared")
    RecordCheck.create(grant=g, level="enhanced", certificate_number=number, issued_on=g.gained_on, cleared=cleared)
    return g


def fresh(g):
    return QualificationGrant.get_or_none(QualificationGrant.id == g.id)
