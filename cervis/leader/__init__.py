"""Group leaders: their groups, opportunities, slots and the rota board (blueprint "leader")."""
from flask import Blueprint

bp = Blueprint("leader", __name__, url_prefix="/leader")

from . import home  # noqa: E402,F401
