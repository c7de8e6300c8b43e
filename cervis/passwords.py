"""Password hashing and the password rule (NIST SP 800-63B / OWASP ASVS 5.0)."""

from .translated import lazy_gettext
import os
import re
import secrets
import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH, MAX_LENGTH = 10, 128
# zxcvbn refuses more than 72 characters and slows down with length; the rest adds nothing to the meter.
SCORED_LENGTH = 64
GUIDE_RULE = (
    "Your password must contain between {min} and {max} characters and must contain "
    "at least 1 uppercase character, 1 lowercase character, and 1 number!"
)
PLAIN_RULE = (
    "Your password must contain between {min} and {max} characters. Long phrases are "
    "good; common passwords, your name, your e-mail and our name are not allowed."
)
TOO_SHORT = f"Your password must be at least {MIN_LENGTH} characters long."
TOO_LONG = f"Your password must be at most {MAX_LENGTH} characters long."
COMMON = lazy_gettext("This is one of the most common passwords, which are guessed first. Please choose another.")
HAS_NAME = lazy_gettext("Your password must not contain your name.")
HAS_EMAIL = lazy_gettext("Your password must not contain your e-mail address.")
HAS_ORG = lazy_gettext("Your password must not contain the organisation's name.")
NEEDS_MIX = lazy_gettext(
    "Your password must contain at least 1 uppercase character, 1 lowercase character, and 1 number."
)

# argon2id with OWASP's low-memory setting (7 MiB, 5 passes, 1 lane): as strong against a GPU as
# their 19 to 46 MiB ones, and a Raspberry Pi can take eight log-ins at once. Hashes made with
# other settings are upgraded at the next log-in (needs_rehash).
_hasher = PasswordHasher(time_cost=5, memory_cost=7 * 1024, parallelism=1)
# Hashes at once: half the cores (at least one), never more than the cores. More would only queue
# inside, each holding its 7 MiB; and a burst of log-ins (after an announcement) leaves the other
# cores to the pages.
_hashing = threading.BoundedSemaphore(max(1, (os.cpu_count() or 1) // 2))
STRENGTH_LABELS = [lazy_gettext("Very Weak"), "Weak", "Fair", "Good", "Strong"]


def hash_password(password: str) -> str:
    with _hashing:
        return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored or not password:
        return False
    try:
        with _hashing:
            return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """What an unknown e-mail is checked against, so it costs what a wrong password does; made at
    the first log-in that needs it, with today's settings, never at start-up."""
    return hash_password("not a real password at all")


def needs_rehash(stored: str) -> bool:
    """True when the hash was made with weaker settings than today's: rehash at the next log-in."""
    try:
        return _hasher.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True


def temporary_password() -> str:
    """Easy to copy from an email and type on a phone: no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(14))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    # zxcvbn ships 30,000 passwords from real breaches, offline. Imported when first needed: its
    # dictionaries take a third of a second to load, and most requests never look at a password.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def rule_text(org) -> str:
    template = GUIDE_RULE if org.guide_password_rule else PLAIN_RULE
    return template.format(min=MIN_LENGTH, max=MAX_LENGTH)


def _words(*values):
    # Three letters or more: shorter fragments would refuse half the dictionary.
    return [v.strip().lower() for v in values if v and len(v.strip()) >= 3]


def _personal_words(user, org):
    """(word, reason) pairs: what a password must not contain, and why it is refused."""
    email = (user.email or "").lower()
    org_name = org.name or ""
    pairs = [(w, HAS_NAME) for w in _words(user.first_name, user.last_name)]
    pairs += [(w, HAS_EMAIL) for w in _words(email, email.partition("@")[0])]
    pairs += [(w, HAS_ORG) for w in _words(org_name, org_name.replace(" ", ""), org.short_name)]
    return pairs


def _is_common(lowered):
    # "Password123!" is "password" with the usual decoration: guessed just as fast.
    return lowered in common_passwords() or lowered.rstrip("0123456789!?.*#$@ ") in common_passwords()


def problems(password: str, user, org) -> list[str]:
    """Why this password is refused, one clear reason each; empty when it is acceptable."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(TOO_SHORT)
    if len(password) > MAX_LENGTH:
        found.append(TOO_LONG)
    lowered = password.lower()
    if _is_common(lowered):
        found.append(COMMON)
    for word, reason in _personal_words(user, org):
        if word in lowered and reason not in found:
            found.append(reason)
    if org.guide_password_rule and not (
        re.search(r"[A-Z]", password) and re.search(r"[a-z]", password) and re.search(r"\d", password)
    ):
        found.append(NEEDS_MIX)
    return found


def strength(password: str, user, org) -> tuple[int, str, str]:
    """A 0-4 score, its label and the first reason it would be refused, for the meter."""
    if not password:
        return 0, "", ""
    from zxcvbn import zxcvbn

    words = [word for word, _ in _personal_words(user, org)]
    score = zxcvbn(password[:SCORED_LENGTH], user_inputs=words)["score"]
    found = problems(password, user, org)
    if found:
        score = min(score, 1)  # a refused password never looks acceptable
    return score, STRENGTH_LABELS[score], found[0] if found else ""
