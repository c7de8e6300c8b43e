"""The entry point: `flask --app app run`, or `waitress-serve app:app`."""

import gc
import os
import sys

import click

# Before anything is made: what this process writes (database, outbox, backups, documents) is the
# service user's alone, whatever umask the service manager or shell gave it.
os.umask(0o077)

from cervis import create_app  # noqa: E402
from cervis.db import serve_cleanly  # noqa: E402
from cervis.memory import return_freed_memory  # noqa: E402
from cervis.scheduler import start_if_serving  # noqa: E402

return_freed_memory()
app = create_app()
_command = click.get_current_context(silent=True)
if (_command is None or _command.info_name == "run") and "pytest" not in sys.modules:
    serve_cleanly(app)  # a WSGI server or `flask run`, never init-db, backup or restore
start_if_serving(app)
# What start-up made lives as long as the process: the collector's full passes (15 to 20 ms each,
# a page's whole budget, twice a minute under load) no longer walk it.
gc.freeze()
