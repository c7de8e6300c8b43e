"""A token's requests a minute, held across every process and machine sharing the database, without
a write for each request.

Each process lets requests through from a block it took from the token's row for the minute
(ApiRate: one write a block, under the write lock, so two processes can never take the same
requests). A block is at most BLOCK requests and a quarter of what is left, so near the limit the
blocks shrink to one: another process's unused block can refuse only a few requests early, never let
one more through. The windows are the clock's minutes: across the turn of a minute a burst can see
twice the limit, as with any fixed window, and the rows of past minutes are deleted as they pass.
"""

import threading

from ..db import for_update, utcnow, write_transaction
from ..models import ApiRate

BLOCK = 10
_clock = utcnow  # which minute it is, which tests hold still


class Leases:
    """One process's requests still to let through, by (token id, minute); -1: the minute is spent."""

    def __init__(self):
        self.lock = threading.Lock()
        self.left = {}

    def admit(self, token_id, limit, now=None):
        """Whether this request is within the token's `limit` a minute."""
        minute = (now or _clock()).replace(second=0, microsecond=0)
        key = (token_id, minute)
        # Held while a block is taken: no thread finds the row spent while a block is on its way here.
        with self.lock:
            if self.left.get(key, 0) == 0:
                self.left = {k: n for k, n in self.left.items() if k[1] == minute}
                self.left[key] = take_block(token_id, minute, limit) or -1
            if self.left[key] < 0:
                return False
            self.left[key] -= 1
            return True


def take_block(token_id, minute, limit):
    """Count a block of the token's requests this minute: how many (0 when the minute is spent)."""
    with write_transaction():
        row = for_update(ApiRate.select().where(ApiRate.token == token_id, ApiRate.minute == minute)).first()
        used = row.used if row else 0
        block = min(BLOCK, max(1, (limit - used) // 4)) if used < limit else 0
        if row and block:
            ApiRate.update(used=ApiRate.used + block).where(ApiRate.id == row.id).execute()
        elif block:
            ApiRate.delete().where(ApiRate.token == token_id, ApiRate.minute < minute).execute()
            ApiRate.create(token=token_id, minute=minute, used=block)
    return block


def leases(app):
    """The app's (this process's) leases."""
    return app.extensions.setdefault("api_rate", Leases())
