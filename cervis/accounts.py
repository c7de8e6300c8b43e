"""Creating volunteer accounts, switching them off and unlocking them: the rules Add Volunteer, the
import, People and the unlock command share.

Callers hold the transaction (`with write_transaction():`), so an import creates every account
or none, and each change is written to the audit log with who made it. (unlock is a whole action
and takes its own.)
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email

from .db import utcnow, write_transaction
from .models import REGISTERED, AuditLog, Membership, Profile, Registration, Slot, Throttle, User
from .models.people import normal_email
from .temporary_passwords import issue_temporary_password, make_temporary_password  # noqa: F401 (for the import)

NAME_MAX, PHONE_MAX = 100, 40


# Scripts that are written together in one name: Japanese mixes these three, Korean these two.
SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "HANGUL": "CJK"}


def _scripts(text):
    """The alphabets the letters of this text are written in ("LATIN", "CYRILLIC", ...)."""
    names = (unicodedata.name(c, "").split(" ")[0] for c in text if unicodedata.category(c).startswith("L"))
    return {SCRIPT_FAMILIES.get(name, name) for name in names}


def email_problem(text):
    """Why this is not an e-mail address we can write to, or None."""
    if not normal_email(text):
        return "Please enter an e-mail address."
    try:
        validate_email(normal_email(text), check_deliverability=False)
    except EmailNotValidError:
        return "That is not a valid e-mail address."
    # A Cyrillic "а" in "аlex@example.org" looks like Alex's address and is another account: refuse
    # a local part or domain label whose letters mix alphabets ("иван@пример.рф", "太郎@例え.jp" are fine).
    local, _, domain = normal_email(text).rpartition("@")
    if any(len(_scripts(part)) > 1 for part in [local, *domain.split(".")]):
        return "That address mixes letters of more than one alphabet: please type it again in one."
    return None


def create_volunteer(actor, email, first_name, last_name, phone="", groups=(), temporary=None):
    """A new account that must choose its password, with the welcome e-mail queued; `temporary`
    is a make_temporary_password() made before the transaction, else one is made inside it.

    The volunteer verifies their profile at first login, as the guide describes.
    Raises peewee.IntegrityError if the address was taken meanwhile.
    """
    user = User.create(
        email=normal_email(email),
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        must_change_password=True,
        verified_generation=0,
    )
    Profile.create(user=user, mobile=(phone or "").strip())
    AuditLog.record(
        actor,
        "account.create",
        user,
        after={
            "email": user.email,
            "name": user.name,
            "phone": (phone or "").strip(),
            "groups": [g.name for g in groups],
        },
    )
    add_memberships(actor, user, groups)
    issue_temporary_password(user, welcome=True, made=temporary)
    return user


def missing_groups(user, groups):
    """The groups of these that the account does not belong to yet."""
    have = {m.group_id for m in Membership.select(Membership.group).where(Membership.user == user)}
    return [g for g in groups if g.id not in have]


def add_memberships(actor, user, groups):
    """Join the account to the groups it is not in yet; returns the groups added."""
    added = missing_groups(user, groups)
    for group in added:
        membership = Membership.create(user=user, group=group)
        AuditLog.record(
            actor, "membership.add", membership, after={"volunteer": user.id, "email": user.email, "group": group.name}
        )
    return added


def remove_membership(actor, membership):
    """Leave the group; the volunteer's registrations and history stay."""
    before = {
        "volunteer": membership.user_id,
        "email": membership.user.email,
        "group": membership.group.name,
        "is_leader": membership.is_leader,
    }
    AuditLog.record(actor, "membership.remove", membership, before=before)
    membership.delete_instance()


def set_active(actor, user, active):
    """Deactivate (ends every session; no more logging in) or reactivate an account."""
    before = {"active": user.active}
    user.active = active
    if not active:
        user.end_sessions()
    user.save()
    AuditLog.record(
        actor, "account.reactivate" if active else "account.deactivate", user, before=before, after={"active": active}
    )


def coming_shifts(user):
    """How many confirmed shifts the volunteer still has ahead: a leader should know on deactivating."""
    return (
        Registration.select()
        .join(Slot)
        .where(Registration.volunteer == user, Registration.status == REGISTERED, Slot.starts_at > utcnow())
        .count()
    )


def unlock(email, actor=None):
    """Let an account locked by failed log-ins (or resets) try again now."""
    email = normal_email(email)
    with write_transaction():
        Throttle.clear(f"login-email:{email}")
        Throttle.clear(f"reset-email:{email}")
        AuditLog.record(actor, "unlock", User.by_email(email), after={"email": email})
