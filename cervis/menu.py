"""The portal menus, in the guide's words. An item shows only once its page exists: never a dead link."""

from flask import current_app, request, url_for
from flask_babel import get_locale

from .translated import lazy_gettext

VOLUNTEER = [
    (
        lazy_gettext("Registration Management"),
        [
            (lazy_gettext("Sign up / Apply for an Upcoming Opportunity"), "volunteer.signup"),
            (lazy_gettext("View or Cancel Registration for an Upcoming Opportunity"), "volunteer.registrations"),
            (lazy_gettext("Record or Update Service Project Activity"), "volunteer.service"),
            (lazy_gettext("I'm Away"), "volunteer.away_dates"),
        ],
    ),
    (
        lazy_gettext("Profile Management"),
        [
            (lazy_gettext("View or Update Volunteer Profile Information"), "volunteer.profile"),
            (lazy_gettext("View Posted Documents"), "volunteer.documents"),
        ],
    ),
    (
        lazy_gettext("Report Management"),
        [
            (lazy_gettext("View or Print Volunteer Activity History"), "volunteer.history"),
        ],
    ),
    (
        lazy_gettext("Account Management"),
        [
            (lazy_gettext("Change Password"), "auth.change_password"),
        ],
    ),
]

LEADER = [
    (
        lazy_gettext("Group Management"),
        [
            (lazy_gettext("Leader Home"), "leader.home"),
            (lazy_gettext("Tonight"), "leader.tonight"),
            (lazy_gettext("Groups, Roles and Members"), "leader.groups"),
            (lazy_gettext("Add Volunteer"), "leader.member_new"),
            (lazy_gettext("Import Volunteers"), "leader.import_volunteers"),
            (lazy_gettext("Applications"), "leader.applications"),
            (lazy_gettext("Opportunities and Slots"), "leader.opportunities"),
            (lazy_gettext("Statistics"), "leader.statistics_page"),
        ],
    ),
]

ADMIN = [
    (
        lazy_gettext("Administration"),
        [
            (lazy_gettext("Administrator Home"), "admin.home"),
            (lazy_gettext("Organisation Settings"), "admin.settings"),
            (lazy_gettext("Single Sign-On"), "admin.single_sign_on"),
            (lazy_gettext("Logo, Colour and Welcome"), "admin.branding_page"),
            (lazy_gettext("Lists"), "admin.lists"),
            (lazy_gettext("Recruitment Steps"), "admin.recruitment_steps"),
            (lazy_gettext("People"), "admin.people"),
            (lazy_gettext("Posted Documents"), "admin.documents"),
            (lazy_gettext("Audit Log"), "admin.audit"),
            (lazy_gettext("Data Protection"), "admin.data_protection"),
            (lazy_gettext("Outbox"), "admin.outbox"),
            (lazy_gettext("Emails"), "admin.emails"),
            (lazy_gettext("API Tokens"), "admin.api_tokens"),
        ],
    ),
]


def _existing(sections):
    views = current_app.view_functions
    shown = []
    for title, items in sections:
        items = [(label, endpoint) for label, endpoint in items if endpoint in views]
        if items:
            shown.append((title, items))
    return shown


def _sections(leads, administers):
    sections = _existing(VOLUNTEER)
    if leads or administers:
        sections += _existing(LEADER)
    if administers:
        sections += _existing(ADMIN)
    return sections


def menus_for(user):
    """[(title, [(label, address)])] of this person's menus. They depend only on which menus the
    person has, the language and where the app is mounted, so each such set is worked out once per
    app: every page draws the bar twice (some thirty links for an administrator), the portal home a
    third time, and resolving each label and address was a millisecond of every page."""
    leads, administers = bool(user.is_leader or user.is_admin), bool(user.is_admin)
    key = (leads, administers, str(get_locale()), request.script_root)
    known = current_app.extensions.setdefault("cervis.menus", {})
    if key not in known:
        known[key] = [
            (str(title), [(str(label), url_for(endpoint)) for label, endpoint in items])
            for title, items in _sections(leads, administers)
        ]
    return known[key]
