"""Temporary passwords: made, stored and sent (a reset, or the welcome to an account the charity
made), and the signed link in their email that stands in for typing one."""

import hashlib
from datetime import timedelta

from . import emails, passwords, signed_links
from .db import utcnow
from .models import User

TEMP_VALID = timedelta(hours=1)
# A new account's first password: the welcome e-mail may wait days before it is read.
WELCOME_VALID = timedelta(days=7)


def make_temporary_password():
    """(password, its hash): the hash is slow on purpose, so callers that can make it before their
    write transaction (an import's hundreds) do, and the site is not kept waiting behind it."""
    temp = passwords.temporary_password()
    return temp, passwords.hash_password(temp)


def issue_temporary_password(user, welcome=False, valid=None, made=None):
    """Store a temporary password's hash (`made` before, or made now) and queue the email that carries
    it: the reset's, or the welcome to an account the charity made.

    It lasts `valid`; by default one hour, or WELCOME_VALID for a welcome (its e-mail says so).
    """
    valid = valid or (WELCOME_VALID if welcome else TEMP_VALID)
    temp, user.temp_password_hash = made or make_temporary_password()
    user.temp_password_expires = utcnow() + valid
    user.save()
    link = emails.absolute("auth.temporary_link", token=_link_token(user))
    (emails.welcome if welcome else emails.temporary_password)(user, temp, link)


def _fingerprint(temp_hash):
    # Ties the link to this temporary password (once used or replaced, the link is dead)
    # without putting any of its hash in a URL.
    return hashlib.sha256(temp_hash.encode()).hexdigest()[:32]


def _link_token(user):
    return signed_links.TEMPORARY_PASSWORD.make({"u": user.id, "t": _fingerprint(user.temp_password_hash)})


def user_from_link(token):
    # The stored expiry, checked below, is the real limit; this only bounds any link.
    data = signed_links.TEMPORARY_PASSWORD.read(token, max_age=int(max(TEMP_VALID, WELCOME_VALID).total_seconds()))
    user_id = signed_links.id_in(data, "u")
    user = User.get_or_none(User.id == user_id) if user_id else None
    if (
        user is None
        or not user.active
        or not user.temp_password_hash
        or not user.temp_password_expires
        or _fingerprint(user.temp_password_hash) != data.get("t")
        or user.temp_password_expires <= utcnow()
    ):
        return None
    return user
