"""Staff single sign-on: the organisation's OpenID provider (Microsoft Entra ID, Google Workspace...)."""

import peewee

from ..db import BaseModel


class SingleSignOn(BaseModel):
    """One row, made when an administrator first saves it. The secret is kept to send to the provider
    and never shown back."""

    issuer = peewee.CharField(default="")
    client_id = peewee.CharField(default="")
    client_secret = peewee.CharField(default="")
    account_name = peewee.CharField(default="")  # "Sign in with <account_name>" on the log-in page
    volunteers_allowed = peewee.BooleanField(default=False)

    @classmethod
    def current(cls):
        return cls.select().order_by(cls.id).first() or cls()

    @property
    def ready(self):
        return bool(self.issuer and self.client_id and self.client_secret)

    @property
    def button(self):
        return f"Sign in with {self.account_name or 'your organisation account'}"
