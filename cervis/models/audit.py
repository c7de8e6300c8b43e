"""Who changed what, and the counters behind rate limits."""

import hashlib
import json
from datetime import timedelta

import peewee

from ..db import BaseModel, utcnow, write_transaction
from .people import User


class AuditLog(BaseModel):
    actor = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    at = peewee.DateTimeField(default=utcnow, index=True)
    action = peewee.CharField()
    object_type = peewee.CharField(default="")
    object_id = peewee.IntegerField(null=True)
    before = peewee.TextField(default="")
    after = peewee.TextField(default="")

    class Meta:
        # Each person's latest action, one index seek each (privacy.last_activity), not a million rows read.
        indexes = ((("actor", "at"), False),)

    @classmethod
    def record(cls, actor, action, obj=None, before=None, after=None):
        return cls.create(
            actor=actor if getattr(actor, "id", None) else None,
            action=action,
            object_type=type(obj).__name__ if obj is not None else "",
            object_id=getattr(obj, "id", None),
            before=json.dumps(before, default=str, sort_keys=True) if before is not None else "",
            after=json.dumps(after, default=str, sort_keys=True) if after is not None else "",
        )


class Throttle(BaseModel):
    """One row per attempt, keyed like 'login-email:alice@example.org'.

    An attempt is reserved (counted and recorded in one write transaction) before the slow check
    it guards, so guesses sent in parallel cannot all read the same count; one that turns out
    right gives its reservation back.
    """

    key = peewee.CharField(index=True)
    at = peewee.DateTimeField(default=utcnow)

    @staticmethod
    def stored(key):
        """The key as kept: one too long for the column (an address typed at the log-in page can
        be any length; PostgreSQL refuses more than 255 characters) is kept as its digest."""
        if len(key) <= 255:
            return key
        return f"{key.partition(':')[0][:100]}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"

    @classmethod
    def count(cls, key, window: timedelta):
        return cls.select().where(cls.key == cls.stored(key), cls.at > utcnow() - window).count()

    @classmethod
    def hit(cls, key):
        with write_transaction():  # every write under the app's lock: SQLite's own gives up after 10 s
            cls.create(key=cls.stored(key))

    @classmethod
    def reserve(cls, limits, window: timedelta):
        """Count one attempt against each (key, limit): (None, ids) when every key is under its
        limit, all recorded at once; else (the first key at its limit, []) and nothing recorded."""
        with write_transaction():
            for key, limit in limits:
                if cls.count(key, window) >= limit:
                    return key, []
            return None, [cls.create(key=cls.stored(key)).id for key, _ in limits]

    @classmethod
    def release(cls, ids):
        """Give back reserved attempts that turned out right."""
        if ids:
            with write_transaction():
                cls.delete().where(cls.id.in_(ids)).execute()

    @classmethod
    def clear(cls, key):
        with write_transaction():
            cls.delete().where(cls.key == cls.stored(key)).execute()
