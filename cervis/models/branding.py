"""The organisation's face: its logo, accent colour and a welcome for the log-in page (one row)."""
import peewee

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
