"""The entry point: `flask --app app run`, or `waitress-serve app:app`."""
from cervis import create_app
from cervis.scheduler import start_if_serving

app = create_app()
start_if_serving(app)
