"""The volunteer portal (blueprint "volunteer"): one module per page of the guide."""
from flask import Blueprint

bp = Blueprint("volunteer", __name__, url_prefix="/portal")

from . import home  # noqa: E402,F401
