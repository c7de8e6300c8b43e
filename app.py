"""The entry point: `flask --app app run`, or `waitress-serve app:app`."""
from cervis import create_app
from cervis.memory import return_freed_memory
from cervis.scheduler import start_if_serving

return_freed_memory()
app = create_app()
start_if_serving(app)
