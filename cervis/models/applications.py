"""Becoming a volunteer: applications, the charity's safer-recruitment steps, and references."""

import peewee

from ..db import BaseModel, utcnow
from .org import Frequency
from .people import Group, User

# An application's life: made but its e-mail not yet confirmed; open (its steps under way); then
# approved (an account exists), declined, or withdrawn by the applicant.
UNCONFIRMED, OPEN, APPROVED, DECLINED, WITHDRAWN = "unconfirmed", "open", "approved", "declined", "withdrawn"


class Application(BaseModel):
    first_name = peewee.CharField()
    last_name = peewee.CharField(default="")
    email = peewee.CharField(index=True)
    phone = peewee.CharField(default="")
    frequency = peewee.ForeignKeyField(Frequency, null=True, on_delete="SET NULL")
    status = peewee.CharField(default=UNCONFIRMED, index=True)
    created_at = peewee.DateTimeField(default=utcnow)
    privacy_accepted_at = peewee.DateTimeField(default=utcnow)
    confirmed_at = peewee.DateTimeField(null=True)
    decided_at = peewee.DateTimeField(null=True)
    decided_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")
    user = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # once approved


class ApplicationGroup(BaseModel):
    """A venue the applicant would like to join."""

    application = peewee.ForeignKeyField(Application, backref="group_links", on_delete="CASCADE")
    group = peewee.ForeignKeyField(Group, backref="+", on_delete="CASCADE")

    class Meta:
        indexes = ((("application", "group"), True),)


class RecruitmentStep(BaseModel):
    """One of the organisation's steps, edited by administrators. kind says who ticks it: the e-mail
    confirmation, a reference received, a DBS check (only where a chosen role needs one), or a leader."""

    name = peewee.CharField(unique=True)
    kind = peewee.CharField(default="manual")  # email, reference-1, reference-2, dbs, manual
    position = peewee.IntegerField(default=0)

    @classmethod
    def ordered(cls):
        return cls.select().order_by(cls.position, cls.id)


class StepDone(BaseModel):
    application = peewee.ForeignKeyField(Application, backref="steps_done", on_delete="CASCADE")
    step = peewee.ForeignKeyField(RecruitmentStep, backref="+", on_delete="CASCADE")
    done_at = peewee.DateTimeField(default=utcnow)
    done_by = peewee.ForeignKeyField(User, null=True, backref="+", on_delete="SET NULL")  # None: the system
    note = peewee.TextField(default="")

    class Meta:
        indexes = ((("application", "step"), True),)


class Reference(BaseModel):
    """A referee, asked by e-mail once the applicant confirmed their address; given in confidence."""

    application = peewee.ForeignKeyField(Application, backref="references", on_delete="CASCADE")
    number = peewee.IntegerField()  # 1 or 2
    name = peewee.CharField()
    email = peewee.CharField()
    relationship = peewee.CharField(default="")  # how they know the applicant
    requested_at = peewee.DateTimeField(null=True)
    reminders = peewee.IntegerField(default=0)  # after 7 and 14 days, at most two
    reminded_at = peewee.DateTimeField(null=True)
    received_at = peewee.DateTimeField(null=True)
    known_for = peewee.CharField(default="")
    capacity = peewee.CharField(default="")
    concerns = peewee.BooleanField(null=True)  # any concern about working with vulnerable adults
    text = peewee.TextField(default="")

    class Meta:
        indexes = ((("application", "number"), True),)
