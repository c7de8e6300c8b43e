"""The entry point: `flask --app app run`, or `waitress-serve app:app`."""
import gc

from cervis import create_app
from cervis.memory import return_freed_memory
from cervis.scheduler import start_if_serving

return_freed_memory()
app = create_app()
start_if_serving(app)
# What start-up made lives as long as the process: the collector's full passes (15 to 20 ms each,
# a page's whole budget, twice a minute under load) no longer walk it.
gc.freeze()
