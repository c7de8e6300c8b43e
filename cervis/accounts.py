"""Creating volunteer accounts and switching them off: the rules Add Volunteer and the import share.

Callers hold the transaction (`with write_transaction():`), so an import creates every account
or none, and each change is written to the audit log with who made it.
"""
from email_validator import EmailNotValidError, validate_email
from peewee import fn

from .password_pages import issue_temporary_password
from .db import utcnow
from .models import REGISTERED, AuditLog, Membership, Profile, Registration, Slot, User

NAME_MAX, PHONE_MAX = 100, 40


def normal_email(text):
    """How every e-mail address is stored and compared: trimmed, lower case."""
    return (text or "").strip().lower()


def email_problem(text):
    """Why this is not an e-mail address we can write to, or None."""
    if not normal_email(text):
        return "Please enter an e-mail address."
    try:
        validate_email(normal_email(text), check_deliverability=False)
    except EmailNotValidError:
        return "That is not a valid e-mail address."
    return None


def account_for_email(email):
    """The account with this address, whatever its case when it was stored."""
    return User.get_or_none(fn.LOWER(User.email) == normal_email(email))


def create_volunteer(actor, email, first_name, last_name, phone="", groups=()):
    """A new account that must choose its password, with the welcome e-mail queued.

    The volunteer verifies their profile at first login, as the guide describes.
    Raises peewee.IntegrityError if the address was taken meanwhile.
    """
    user = User.create(email=normal_email(email), first_name=first_name.strip(),
                       last_name=last_name.strip(), must_change_password=True, verified_generation=0)
    Profile.create(user=user, mobile=(phone or "").strip())
    AuditLog.record(actor, "account.create", user, after={
        "email": user.email, "name": user.name, "phone": (phone or "").strip(),
        "groups": [g.name for g in groups]})
    add_memberships(actor, user, groups)
    issue_temporary_password(user, kind="welcome")
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
        AuditLog.record(actor, "membership.add", membership, after={
            "volunteer": user.id, "email": user.email, "group": group.name})
    return added


def remove_membership(actor, membership):
    """Leave the group; the volunteer's registrations and history stay."""
    before = {"volunteer": membership.user_id, "email": membership.user.email,
              "group": membership.group.name, "is_leader": membership.is_leader}
    AuditLog.record(actor, "membership.remove", membership, before=before)
    membership.delete_instance()


def set_active(actor, user, active):
    """Deactivate (ends every session; no more logging in) or reactivate an account."""
    before = {"active": user.active}
    user.active = active
    if not active:
        user.end_sessions()
    user.save()
    AuditLog.record(actor, "account.reactivate" if active else "account.deactivate", user,
                    before=before, after={"active": active})


def coming_shifts(user):
    """How many confirmed shifts the volunteer still has ahead: a leader should know on deactivating."""
    return (Registration.select().join(Slot)
            .where(Registration.volunteer == user, Registration.status == REGISTERED,
                   Slot.starts_at > utcnow()).count())
