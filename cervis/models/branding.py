"""The organisation's face: its logo, accent colour and a welcome for the log-in page (one row)."""

import peewee
from flask import g, has_request_context

from ..db import BaseModel


class Branding(BaseModel):
    logo = peewee.BlobField(null=True)  # a cleaned PNG or a checked SVG (cervis.branding)
    logo_type = peewee.CharField(default="")  # "", "png" or "svg"
    logo_version = peewee.IntegerField(default=0)  # in the logo's address, so caches renew on a change
    accent = peewee.CharField(default="")  # "#rrggbb", always readable under white text; "" = ours
    welcome = peewee.TextField(default="")

    @classmethod
    def current(cls):
        """The row, or an unsaved default one: showing a page never writes (saving it inserts it)."""
        row = cls.select().order_by(cls.id).first()
        return row if row is not None else cls()

    @classmethod
    def face(cls):
        """What pages and emails draw (not the logo's bytes, which only /logo sends): read once per
        request, like Organisation.current(); outside a request (a batch of emails) the caller keeps it."""
        cached = g.get("brand_face") if has_request_context() else None
        if cached is None:
            row = (
                cls.select(*[f for f in cls._meta.sorted_fields if f is not cls.logo]).order_by(cls.id).first()
            ) or cls()
            cached = row
            if has_request_context():
                g.brand_face = row
        return cached
