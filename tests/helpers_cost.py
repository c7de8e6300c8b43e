"""What a page costs the database, counted where the benchmark's scale cannot be built: SQLite's
virtual-machine steps (in hundreds), which grow with every row a query reads, shown or not."""

from contextlib import contextmanager

from cervis.db import database

EVERY = 100  # steps between two ticks


@contextmanager
def sqlite_steps():
    """`with sqlite_steps() as steps:` ... `steps[0]`: the hundreds of steps SQLite ran meanwhile."""
    steps = [0]

    def tick():
        steps[0] += 1
        return 0  # carry on

    connection = database.connection()
    connection.set_progress_handler(tick, EVERY)
    try:
        yield steps
    finally:
        connection.set_progress_handler(None, EVERY)
