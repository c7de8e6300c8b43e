"""Fixed port ranges shared out between pytest-xdist's workers, so two workers never pick the same
free port in the moment between checking it and starting their server on it."""

import os


def worker_share(ports):
    """This worker's part of `ports` (every n-th port from its own offset); all of them without xdist."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    return ports[worker::workers]
