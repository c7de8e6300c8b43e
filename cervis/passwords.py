"""Password hashing and the password rule (NIST SP 800-63B / OWASP ASVS 5.0)."""
import re
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MIN_LENGTH, MAX_LENGTH = 10, 128
GUIDE_RULE = ("Your password must contain between {min} and {max} characters and must contain "
              "at least 1 uppercase character, 1 lowercase character, and 1 number!")
PLAIN_RULE = ("Your password must contain between {min} and {max} characters. Long phrases are "
              "good; common passwords, your name, your e-mail and our name are not allowed.")

_hasher = PasswordHasher()
STRENGTH_LABELS = ["Very Weak", "Weak", "Fair", "Good", "Strong"]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    if not stored or not password:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def temporary_password() -> str:
    """Easy to copy from an email and type on a phone: no look-alike characters."""
    alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(14))


@lru_cache(maxsize=1)
def common_passwords() -> frozenset:
    # zxcvbn ships 30,000 passwords from real breaches, offline.
    return frozenset(FREQUENCY_LISTS["passwords"])


def rule_text(org) -> str:
    template = GUIDE_RULE if org.guide_password_rule else PLAIN_RULE
    return template.format(min=MIN_LENGTH, max=MAX_LENGTH)


def _personal_words(user, org):
    words = [user.first_name, user.last_name, org.name, org.short_name]
    if user.email:
        local, _, domain = user.email.partition("@")
        words += [user.email, local, domain.split(".")[0]]
    return [w.lower() for w in words if w and len(w) >= 3]


def problems(password: str, user, org) -> list[str]:
    """Why this password is refused; empty when it is acceptable."""
    found = []
    if len(password) < MIN_LENGTH:
        found.append(f"It must be at least {MIN_LENGTH} characters long.")
    if len(password) > MAX_LENGTH:
        found.append(f"It must be at most {MAX_LENGTH} characters long.")
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip("0123456789!") in common_passwords():
        found.append("It is one of the most common passwords, which are guessed first.")
    for word in _personal_words(user, org):
        if word in lowered:
            found.append("It must not contain your name, your e-mail or our organisation's name.")
            break
    if org.guide_password_rule and not (
        re.search(r"[A-Z]", password) and re.search(r"[a-z]", password) and re.search(r"\d", password)
    ):
        found.append("It must contain at least 1 uppercase character, 1 lowercase character, and 1 number.")
    return found


def strength(password: str, user, org) -> tuple[int, str]:
    """A 0-4 score and its label for the meter; a refused password never scores above Weak."""
    if not password:
        return 0, ""
    score = zxcvbn(password[:MAX_LENGTH], user_inputs=_personal_words(user, org))["score"]
    if problems(password, user, org):
        score = min(score, 1)
    return score, STRENGTH_LABELS[score]
