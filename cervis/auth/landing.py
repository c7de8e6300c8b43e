"""Where a signed-in person goes: their home page, or the step they must finish first; and the
address a request came from (the log-in and reset throttles count by it). Used by session.py and
password_pages.py, which stand on it."""

from flask import current_app, request, url_for


def required_step(user, org=None):
    """The page this user must finish before anything else opens, or None."""
    if user.must_change_password:
        return "auth.change_password"
    if user.needs_profile(org) and "volunteer.profile" in current_app.view_functions:
        return "volunteer.profile"
    return None


def home_for(user):
    if user.is_admin:
        return url_for("admin.home")
    if user.is_leader:
        return url_for("leader.home")
    return url_for("volunteer.home")


def next_page(user):
    step = required_step(user)
    return url_for(step) if step else home_for(user)


def client_address():
    return request.remote_addr or "unknown"
