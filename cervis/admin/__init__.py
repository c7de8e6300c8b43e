"""Administrators: organisation settings, lists, people, documents, outbox, audit (blueprint "admin")."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import home  # noqa: E402,F401
