"""The portal menus, in the guide's words. An item shows only once its page exists: never a dead link."""

from flask import current_app

VOLUNTEER = [
    (
        "Registration Management",
        [
            ("Sign up / Apply for an Upcoming Opportunity", "volunteer.signup"),
            ("View or Cancel Registration for an Upcoming Opportunity", "volunteer.registrations"),
            ("Record or Update Service Project Activity", "volunteer.service"),
            ("I'm Away", "volunteer.away_dates"),
        ],
    ),
    (
        "Profile Management",
        [
            ("View or Update Volunteer Profile Information", "volunteer.profile"),
            ("View Posted Documents", "volunteer.documents"),
        ],
    ),
    (
        "Report Management",
        [
            ("View or Print Volunteer Activity History", "volunteer.history"),
        ],
    ),
    (
        "Account Management",
        [
            ("Change Password", "auth.change_password"),
        ],
    ),
]

LEADER = [
    (
        "Group Management",
        [
            ("Leader Home", "leader.home"),
            ("Tonight", "leader.tonight"),
            ("Groups, Roles and Members", "leader.groups"),
            ("Add Volunteer", "leader.member_new"),
            ("Import Volunteers", "leader.import_volunteers"),
            ("Applications", "leader.applications"),
            ("Opportunities and Slots", "leader.opportunities"),
            ("Statistics", "leader.statistics_page"),
        ],
    ),
]

ADMIN = [
    (
        "Administration",
        [
            ("Administrator Home", "admin.home"),
            ("Organisation Settings", "admin.settings"),
            ("Single Sign-On", "admin.single_sign_on"),
            ("Logo, Colour and Welcome", "admin.branding_page"),
            ("Lists", "admin.lists"),
            ("Recruitment Steps", "admin.recruitment_steps"),
            ("People", "admin.people"),
            ("Posted Documents", "admin.documents"),
            ("Audit Log", "admin.audit"),
            ("Data Protection", "admin.data_protection"),
            ("Outbox", "admin.outbox"),
            ("Emails", "admin.emails"),
            ("API Tokens", "admin.api_tokens"),
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


def menus_for(user):
    sections = _existing(VOLUNTEER)
    if user.is_leader or user.is_admin:
        sections += _existing(LEADER)
    if user.is_admin:
        sections += _existing(ADMIN)
    return sections
