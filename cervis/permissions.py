"""Fetch an object for this user, or fail: the one place that decides who may touch what.

Every view that takes an id goes through one of these, so changing an id in a URL or a
form can never reach another volunteer's or another group's data.
"""

from flask import abort

from .models import (
    UNCONFIRMED,
    Application,
    ApplicationGroup,
    Email,
    Group,
    Membership,
    Opportunity,
    Qualification,
    QualificationGrant,
    RecruitmentStep,
    Registration,
    Role,
    Slot,
    User,
)

# The largest id a database column holds: a larger number (from a URL or a form) is "not found",
# never an overflow error from the database.
MAX_ID = 2**63 - 1


def as_id(value):
    """An id from a URL or a form as a positive int, or None ("²" passes isdigit(), yet int() refuses it)."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit():
        number = int(value)
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def groups_led_by(user):
    """The groups this user leads; an administrator leads them all."""
    if user.is_admin:
        return Group.select().order_by(Group.name)
    return user.led_groups()


def leads(user, group):
    group_id = getattr(group, "id", group)
    return (
        user.is_admin
        or Membership.select()
        .where(Membership.user == user, Membership.group == group_id, Membership.is_leader == True)
        .exists()
    )


def group_for_leader(user, group_id):
    group = Group.get_or_none(Group.id == group_id)
    if group is None:
        abort(404)
    if not leads(user, group):
        abort(403)
    return group


def opportunity_for_leader(user, opportunity_id):
    opportunity = Opportunity.get_or_none(Opportunity.id == opportunity_id)
    if opportunity is None:
        abort(404)
    if not leads(user, opportunity.group_id):
        abort(403)
    return opportunity


def slot_for_leader(user, slot_id):
    slot = Slot.select(Slot, Opportunity).join(Opportunity).where(Slot.id == slot_id).first()
    if slot is None:
        abort(404)
    if not leads(user, slot.opportunity.group_id):
        abort(403)
    return slot


def registration_for_leader(user, registration_id):
    reg = (
        Registration.select(Registration, Slot, Opportunity)
        .join(Slot)
        .join(Opportunity)
        .where(Registration.id == registration_id)
        .first()
    )
    if reg is None:
        abort(404)
    if not leads(user, reg.slot.opportunity.group_id):
        abort(403)
    return reg


def role_for_leader(user, group, role_id):
    role = Role.get_or_none(Role.id == role_id)
    if role is None:
        abort(404)
    if role.group_id != group.id or not leads(user, role.group_id):
        abort(403)
    return role


def household_ids(user):
    """The volunteer and the family members they register for."""
    return [user.id] + [u.id for u in User.select(User.id).where(User.family_of == user)]


def registration_for_volunteer(user, registration_id):
    """A registration of this volunteer or their family; 404 otherwise (never say it exists)."""
    reg = Registration.get_or_none(Registration.id == registration_id, Registration.volunteer.in_(household_ids(user)))
    if reg is None:
        abort(404)
    return reg


def member_for_leader(user, volunteer_id):
    """A volunteer in one of the groups this user leads (any volunteer, for an administrator)."""
    volunteer = User.get_or_none(User.id == volunteer_id)
    if volunteer is None:
        abort(404)
    if user.is_admin:
        return volunteer
    led = Membership.select(Membership.group).where(Membership.user == user, Membership.is_leader == True)
    if not Membership.select().where(Membership.user == volunteer, Membership.group.in_(led)).exists():
        abort(403)
    return volunteer


# The administrators' pages (admin_required lets only them in): any person, any email.


def person_or_404(person_id):
    person = User.get_or_none(User.id == person_id)
    if person is None:
        abort(404)
    return person


def email_or_404(email_id):
    email = Email.get_or_none(Email.id == email_id)
    if email is None:
        abort(404)
    return email


def volunteer_for_recorder(user, volunteer_id):
    """One of this leader's members, never themselves: a leader's own training is recorded by another."""
    volunteer = member_for_leader(user, volunteer_id)
    if volunteer.id == user.id and not user.is_admin:
        abort(403)
    return volunteer


def grant_for_leader(user, volunteer_id, grant_id):
    """The volunteer (one of this leader's members) and their grant; a check's only for an administrator."""
    volunteer = volunteer_for_recorder(user, volunteer_id)
    grant = (
        QualificationGrant.select(QualificationGrant, Qualification)
        .join(Qualification)
        .where(QualificationGrant.id == grant_id, QualificationGrant.volunteer == volunteer)
        .first()
    )
    if grant is None:
        abort(404)
    if grant.qualification.criminal_record_check and not user.is_admin:
        abort(403)
    return volunteer, grant


def applications_visible_to(user):
    """The applications this user may see: all for an administrator, those naming a group they lead."""
    query = Application.select()
    if user.is_admin:
        return query
    led = Membership.select(Membership.group).where(Membership.user == user, Membership.is_leader == True)
    named = ApplicationGroup.select(ApplicationGroup.application).where(ApplicationGroup.group.in_(led))
    return query.where(Application.id.in_(named))


def application_for_leader(user, application_id):
    """An application (never one still unconfirmed) for an administrator or a leader of a group it names."""
    application = Application.get_or_none(Application.id == application_id)
    if application is None or application.status == UNCONFIRMED:
        abort(404)
    if not applications_visible_to(user).where(Application.id == application.id).exists():
        abort(403)
    return application


def recruitment_step_or_404(step_id):
    step = RecruitmentStep.get_or_none(RecruitmentStep.id == as_id(step_id))
    if step is None:
        abort(404)
    return step
