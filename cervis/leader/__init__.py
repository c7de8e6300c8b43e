"""Group leaders: their groups, opportunities, slots and the rota board (blueprint "leader")."""

import importlib
import pkgutil

from flask import Blueprint

bp = Blueprint("leader", __name__, url_prefix="/leader")

# Every module in this package holds some of its pages: import them all, so a new page needs no edit here.
for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")
