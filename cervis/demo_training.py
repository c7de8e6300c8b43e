"""The demo's training records: what its roles need, who holds what, a lapse to come and a proof
waiting to be checked."""

from datetime import date, timedelta

from . import proof_files, training
from .models import WAITING, Qualification, QualificationGrant, RecordCheck, Role, RoleRequirement

# (name, months, criminal-record check): DBS renewed every three years, the trust's own rule.
QUALIFICATIONS = [
    ("Safeguarding", 36, False),
    ("Food hygiene level 2", 36, False),
    ("Shift leader training", None, False),
    ("DBS basic", 36, True),
    ("DBS enhanced", 36, True),
]
NEEDS = {"SL": ("Shift leader training", "Safeguarding"), "Cook": ("Food hygiene level 2",)}
# Who holds what, gained this many days ago (None: see add). Ivo, Jo, Kit and Lou hold nothing.
HELD = {
    "Alex": {"Safeguarding": 400, "Food hygiene level 2": 200},
    "Bea": {"Shift leader training": 700, "Safeguarding": 300},
    "Cal": {"Shift leader training": 500, "Safeguarding": 100, "Food hygiene level 2": 150},
    "Dana": {"Shift leader training": 900, "Safeguarding": 800},
    "Eli": {"Shift leader training": 365},
    "Fern": {"Food hygiene level 2": 30},
    "Hana": {"Food hygiene level 2": 1200},
}
DEMO_PROOF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def add(groups, people, leader, admin):
    """The demo's training: SL needs shift-leader training and safeguarding, Cook food hygiene; some
    volunteers lack them, Eli's safeguarding runs out next month, Gus's proof waits to be checked."""
    made = {
        name: Qualification.create(name=name, valid_months=months, criminal_record_check=crc, position=i)
        for i, (name, months, crc) in enumerate(QUALIFICATIONS)
    }
    for role in list(Role.select().where(Role.group.in_(groups))):
        for name in NEEDS.get(role.name, ()):
            RoleRequirement.create(role=role, qualification=made[name])
    today = date.today()
    for first, held in HELD.items():
        for name, days in held.items():
            gained = today - timedelta(days=days)
            QualificationGrant.create(
                volunteer=people[first],
                qualification=made[name],
                gained_on=gained,
                expires_on=training.default_expiry(made[name], gained),
                recorded_by=leader,
            )
    soon = today + timedelta(days=40)  # next month, or the one after: within the 60 days' warning
    QualificationGrant.create(
        volunteer=people["Eli"],
        qualification=made["Safeguarding"],
        recorded_by=leader,
        gained_on=training.add_months(soon, -36),
        expires_on=soon,
    )
    sent = today - timedelta(days=3)
    QualificationGrant.create(
        volunteer=people["Gus"],
        qualification=made["Food hygiene level 2"],
        state=WAITING,
        gained_on=sent,
        proof_gained_on=sent,
        proof_name="proof.pdf",
        proof_path=proof_files.store("pdf", DEMO_PROOF),
        expires_on=training.default_expiry(made["Food hygiene level 2"], sent),
    )
    issued = today - timedelta(days=90)
    check = QualificationGrant.create(
        volunteer=people["Alex"],
        qualification=made["DBS enhanced"],
        gained_on=issued,
        expires_on=training.default_expiry(made["DBS enhanced"], issued),
        recorded_by=admin,
    )
    RecordCheck.create(
        grant=check,
        level="enhanced",
        certificate_number="001122334455",
        issued_on=issued,
        cleared=True,
        decided_by=admin,
    )


def suits(volunteer, role):
    """Whether the demo's training lets the volunteer take the role; a Reserve covers the Cook, so
    holds food hygiene (cancel the Cook's place tomorrow and the Reserve is asked)."""
    needs = NEEDS["Cook"] if role.is_reserve else NEEDS.get(role.name, ())
    return set(needs) <= set(HELD.get(volunteer.first_name, {}))
