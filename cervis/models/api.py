"""Keys for the charity's other systems (a CRM, a spreadsheet): one per integration, made by an administrator."""

from ..translated import lazy_gettext
import hashlib
import secrets

import peewee

from ..db import BaseModel, utcnow
from .people import User

READ_VOLUNTEERS, READ_ROTA, WRITE_VOLUNTEERS = "volunteers:read", "rota:read", "volunteers:write"
SCOPES = {
    READ_VOLUNTEERS: lazy_gettext("Read volunteers (names, e-mail addresses, phones, hours)"),
    READ_ROTA: lazy_gettext("Read the rota (opportunities, slots, registrations)"),
    WRITE_VOLUNTEERS: lazy_gettext("Write volunteers (add one, deactivate one)"),
}
PREFIX = "cervis_"


def digest(token):
    """How a token is kept: 32 random bytes need no slow hash, and a stolen table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiToken(BaseModel):
    name = peewee.CharField()
    token_hash = peewee.CharField(unique=True)
    scopes = peewee.CharField()  # space-separated, as OAuth writes them
    created_by = peewee.ForeignKeyField(User, null=True, on_delete="SET NULL", backref="+")
    created_at = peewee.DateTimeField(default=utcnow)
    expires_at = peewee.DateTimeField()
    revoked_at = peewee.DateTimeField(null=True)

    @classmethod
    def issue(cls, name, scopes, expires_at, created_by):
        """(the row, the token itself): the token is shown once and never kept."""
        token = PREFIX + secrets.token_urlsafe(32)
        row = cls.create(
            name=name,
            token_hash=digest(token),
            scopes=" ".join(sorted(scopes)),
            expires_at=expires_at,
            created_by=created_by,
        )
        return row, token

    @classmethod
    def usable(cls, token, now):
        """The token's row if it is live (neither expired nor revoked, its maker still an administrator), else None."""
        row = (
            cls.select(cls, User)
            .join(User)
            .where(cls.token_hash == digest(token or ""), cls.revoked_at.is_null(), cls.expires_at > now)
            .first()
        )
        # A token acts for the administrator who made it: no longer theirs to give once they are not one.
        return row if row is not None and row.created_by.active and row.created_by.is_admin else None

    @property
    def scope_set(self):
        return set(self.scopes.split())

    def state(self, now):
        if self.revoked_at is not None:
            return "Revoked"
        return "Expired" if self.expires_at <= now else "Active"


class ApiRate(BaseModel):
    """A token's requests in one minute, handed out to the processes serving it in blocks (cervis.api.rate)."""

    token = peewee.ForeignKeyField(ApiToken, backref="+", on_delete="CASCADE")
    minute = peewee.DateTimeField()  # the minute's start, naive UTC
    used = peewee.IntegerField(default=0)

    class Meta:
        indexes = ((("token", "minute"), True),)
