"""Signed links: an address that proves what it names without a log-in. Every kind is here, so
one place says how a token is made and read, and what it may hold.

Each kind signs with its own salt: a token made for one use opens nothing else. What a token
holds is checked on the way in: a number no database column holds (past 2^63) makes the whole
token unreadable, as an altered one is, so no page meets an overflow error from the database.
"""

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer, URLSafeTimedSerializer

from .permissions import MAX_ID, as_id


class SignedLink:
    def __init__(self, salt, timed=False):
        self.salt, self.timed = salt, timed

    def _signer(self):
        kind = URLSafeTimedSerializer if self.timed else URLSafeSerializer
        return kind(current_app.secret_key, salt=self.salt)

    def make(self, value):
        return self._signer().dumps(value)

    def read(self, token, max_age=None):
        """What the token holds; None when it was altered, has expired, is another kind's or holds
        a number out of range."""
        try:
            value = self._signer().loads(token, **({"max_age": max_age} if self.timed else {}))
        except BadData:
            return None
        return value if _fits(value) else None

    def read_id(self, token, key=None, max_age=None):
        """The id it holds (under `key`, where it holds a dict); None also for 0 or a negative."""
        return id_in(self.read(token, max_age), key)


def id_in(value, key=None):
    if key is not None:
        value = value.get(key) if isinstance(value, dict) else None
    return as_id(value)


def _fits(value):
    """Every number in it one a database column holds: we sign ids, never floats or larger ints."""
    if isinstance(value, (list, tuple)):
        return all(map(_fits, value))
    if isinstance(value, dict):
        return all(map(_fits, value.values()))
    if isinstance(value, float):
        return False
    return not isinstance(value, int) or -MAX_ID - 1 <= value <= MAX_ID


# The salts are the ones the links in people's inboxes and calendars were made with: changing one
# breaks every link of that kind already sent.
CANCEL = SignedLink("cancel-registration")  # {"r": registration id}
COVER = SignedLink("cover-ask")  # {"a": cover ask id}
ICAL = SignedLink("ical-registration")  # registration id
FEED = SignedLink("calendar-feed")  # [user id, group id or None, generation]
TEMPORARY_PASSWORD = SignedLink("temporary-password", timed=True)  # {"u": user id, "t": fingerprint}
UNSUBSCRIBE = SignedLink("one-click-unsubscribe")  # [user id, group id] or [user id, group id, what]
APPLICATION = SignedLink("application")  # {"a": application id}: the applicant's own page
REFERENCE = SignedLink("reference-request")  # {"r": reference id}
WAITING = SignedLink("waiting-list-offer")  # {"o": waiting offer id}: "Take this place"
STAND_IN = SignedLink("stand-in-ask")  # {"a": stand-in ask id}: "I'll take it"
FIND_STAND_IN = SignedLink("find-stand-in")  # {"r": registration id}: "Find a Stand-in"
KINDS = (
    CANCEL,
    COVER,
    ICAL,
    FEED,
    TEMPORARY_PASSWORD,
    UNSUBSCRIBE,
    APPLICATION,
    REFERENCE,
    WAITING,
    STAND_IN,
    FIND_STAND_IN,
)
