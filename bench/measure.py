"""Timing a page on a running server: one client (with the server's CPU per request) and eight.

A task is what one request does: prepare() (not measured: fetching a form's token, say), then
send() (measured), and check() (was it the answer that page should give?).
"""

import re
import statistics
import threading
import time
from collections import deque

from .client import Client
from .serve import FLOOR

SUCCESS_WORDS = {"register": "Registration Request Submitted", "accept": "Accepted:", "complete": "Rota completed for"}
SEEN = re.compile(r'name="seen"[^>]*value="([^"]*)"')


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


class Task:
    """One page, for one client: the GETs repeat, the actions take their next target."""

    def __init__(self, page, targets=None, email=None, password=None):
        self.page, self.targets = page, deque(targets or ())
        self.email, self.password, self.seen = email, password, ""

    def prepare(self, client):
        if self.page.action == "login":
            client.cookies.clear()
            client.take_csrf(client.get("/login"))
        elif self.page.action == "complete":
            opportunity, month = self.targets[0][:2]
            form = client.get(f"/leader/opportunities/{opportunity}/rota/complete?month={month}")
            client.take_csrf(form)
            found = SEEN.search(form.text)
            self.seen = found.group(1) if found else ""

    def send(self, client):
        page = self.page
        if not page.action:
            return client.get(page.path, htmx=page.htmx)
        if page.action == "login":
            return client.post("/login", {"email": self.email, "password": self.password})
        target = self.targets.popleft()
        if page.action == "register":
            opportunity, slots = target
            return client.post(
                "/portal/signup/slots", [("opportunity", opportunity)] + [("slot", s) for s in slots], htmx=True
            )
        if page.action == "accept":
            return client.post(f"/leader/registrations/{target}/accept", {}, htmx=True)
        opportunity, month = target[:2]
        return client.post(
            f"/leader/opportunities/{opportunity}/rota/complete?month={month}",
            {"month": month, "seen": self.seen, "knowing": "y"},
            htmx=True,
        )

    def check(self, answer):
        if self.page.action == "login":
            return answer.status == 303
        if answer.status != 200:
            return False
        word = SUCCESS_WORDS.get(self.page.action)
        return word is None or word in answer.text


class FloorTask(Task):
    def __init__(self):
        super().__init__(None)

    def prepare(self, client):
        pass

    def send(self, client):
        return client.get(FLOOR)

    def check(self, answer):
        return answer.status == 200


def one_client(server, client, task, n, warmup=None):
    """n requests in a row: latency and the server's CPU for each (schedstat, nanoseconds). Two
    unmeasured requests first (none for an action, which would use up a target) unless told."""
    if warmup is None:
        warmup = 2 if not task.page or not task.page.action else 0
    for _ in range(warmup):
        task.prepare(client)
        task.send(client)
    seconds, cpu, bad, first = [], [], 0, None
    for _ in range(n):
        task.prepare(client)
        # The pages' threads only: the scheduler's thread sends what earlier actions queued (Complete
        # Rota's hundreds of emails, 100 every 20 s at 3.5 ms each), whichever request is timed then.
        before = server.cpu_ns(pages_only=True)
        answer = task.send(client)
        cpu.append((server.cpu_ns(pages_only=True) - before) / 1e6)
        seconds.append(answer.seconds * 1000)
        bad += not task.check(answer)
        first = first or answer
    return {
        "n": n,
        "cpu_ms": statistics.median(cpu),
        "cpu_ms_max": max(cpu),
        "cpu_first_ms": cpu[0],
        "p50_ms": percentile(seconds, 50),
        "p99_ms": percentile(seconds, 99),
        "per_second": 1000 * n / sum(seconds),
        "bad": bad,
        "bytes_raw": len(first.body),
        "bytes_sent": len(first.sent),
        "status": first.status,
    }


def eight_clients(clients, tasks, each):
    """Eight clients at once, `each` requests apiece: latency percentiles and throughput."""
    seconds, bad, lock = [], [0], threading.Lock()

    def work(client, task):
        for _ in range(each):
            task.prepare(client)
            answer = task.send(client)
            with lock:
                seconds.append(answer.seconds * 1000)
                bad[0] += not task.check(answer)

    threads = [threading.Thread(target=work, args=pair) for pair in zip(clients, tasks)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        "n": len(seconds),
        "p50_ms": percentile(seconds, 50),
        "p99_ms": percentile(seconds, 99),
        "per_second": len(seconds) / wall,
        "bad": bad[0],
    }


def new_clients(port, count):
    return [Client(port) for _ in range(count)]
