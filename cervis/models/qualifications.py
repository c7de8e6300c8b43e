"""Who may do what: training and checks, what each role needs, and who holds which."""

import peewee

from ..db import BaseModel, utcnow
from .people import User
from .rota import Registration, Role

# A grant's state: recorded by a leader or administrator, or proof sent in by the volunteer and not
# yet decided. A refused proof is deleted with its file, so there is no "refused" state to keep.
GRANTED, WAITING = "granted", "waiting"
# A criminal-record check decided "not cleared": kept (who decided, when), never counted as held.
NOT_CLEARED = "not-cleared"


class Qualification(BaseModel):
    """Organisation-wide, kept by administrators like the other lists."""

    name = peewee.CharField(unique=True)
    position = peewee.IntegerField(default=0)
    valid_months = peewee.IntegerField(null=True)  # the default life of a grant; None: never expires
    # UK DBS and the like: criminal-offence data (UK GDPR art. 10), details seen by administrators only,
    # and never proven by an upload.
    criminal_record_check = peewee.BooleanField(default=False)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.position, cls.name)


class RoleRequirement(BaseModel):
    """A role needs every qualification listed for it."""

    role = peewee.ForeignKeyField(Role, backref="requirements", on_delete="CASCADE")
    qualification = peewee.ForeignKeyField(Qualification, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("role", "qualification"), True),)


class QualificationGrant(BaseModel):
    """A volunteer holds a qualification from gained_on until expires_on (None: for good)."""

    volunteer = peewee.ForeignKeyField(User, backref="qualifications", on_delete="CASCADE")
    qualification = peewee.ForeignKeyField(Qualification, backref="grants", on_delete="CASCADE")
    state = peewee.CharField(default=GRANTED)
    gained_on = peewee.DateField()
    expires_on = peewee.DateField(null=True)
    recorded_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    recorded_at = peewee.DateTimeField(default=utcnow)
    note = peewee.TextField(default="")
    # Proof sent in by the volunteer: a file under instance/, kept only until it is decided.
    proof_path = peewee.CharField(null=True)
    proof_name = peewee.CharField(default="")
    proof_gained_on = peewee.DateField(null=True)  # the date gained the volunteer gave with the proof

    class Meta:
        indexes = ((("volunteer", "qualification"), True),)


# Proof waiting to be checked, and only that: the member list counts it without reading every grant.
QualificationGrant.add_index(
    QualificationGrant.index(QualificationGrant.volunteer, name="qualificationgrant_proof_waiting").where(
        QualificationGrant.proof_path.is_null(False)
    )
)


class RecordCheck(BaseModel):
    """What UK guidance allows a charity to keep of a criminal-record check, never its content."""

    grant = peewee.ForeignKeyField(QualificationGrant, unique=True, backref="record_checks", on_delete="CASCADE")
    level = peewee.CharField(default="basic")  # basic, standard, enhanced, enhanced with barred lists
    certificate_number = peewee.CharField(default="")
    issued_on = peewee.DateField()
    cleared = peewee.BooleanField()
    decided_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    decided_at = peewee.DateTimeField(default=utcnow)


class QualificationOverride(BaseModel):
    """A leader accepted someone without a role's qualification, on purpose, for one place."""

    registration = peewee.ForeignKeyField(Registration, unique=True, backref="overrides", on_delete="CASCADE")
    reason = peewee.TextField()
    by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    at = peewee.DateTimeField(default=utcnow)
