"""The log-in pages: logging in and out and the idle timeout (session.py), passwords (password_pages.py)
and where a signed-in person goes next (landing.py). One blueprint, "auth"; its templates are in
templates/auth/. Other pages guard their views with the decorators this package hands on."""

from . import password_pages, sso  # noqa: F401  (their routes join the auth blueprint)
from .session import LOGIN_PER_ACCOUNT, LOGIN_WINDOW, admin_required, bp, init_app, leader_required

__all__ = ["LOGIN_PER_ACCOUNT", "LOGIN_WINDOW", "admin_required", "bp", "init_app", "leader_required"]
