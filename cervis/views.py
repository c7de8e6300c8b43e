"""Pages every visitor may see, and what every template is given."""

from flask_babel import gettext
from flask import Blueprint, redirect, render_template, url_for
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from flask_login import current_user, login_required

from . import eligibility, timeutil
from .auth.session import idle_delay
from .auth.landing import home_for
from .menu import menus_for
from .models import Organisation

bp = Blueprint("views", __name__)


@bp.route("/")
def index():
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    return redirect(home_for(current_user))


@bp.route("/tonight")
@login_required
def tonight():
    """Tonight's short address, to type on a phone or keep on its home screen."""
    return redirect(url_for("leader.tonight"), code=303)


@bp.route("/terms")
def terms():
    return render_template("terms.html", title=gettext("Terms and Conditions"), text=Organisation.current().terms_text)


@bp.route("/privacy")
def privacy():
    org = Organisation.current()
    return render_template(
        "terms.html",
        title=gettext("%(short_name)s Privacy Policy for Volunteers", short_name=org.short_name),
        text=org.privacy_text,
    )


@bp.route("/contact")
def contact():
    return render_template("contact.html", org=Organisation.current())


def csrf_field():
    """The CSRF token as a hidden field, first in every form; no id, since a page repeats it."""
    return Markup(f'<input name="csrf_token" type="hidden" value="{generate_csrf()}">')


def init_app(app):
    app.register_blueprint(bp)

    @app.context_processor
    def _everywhere():
        return {
            "org": Organisation.current(),
            "idle_delay": idle_delay,
            "csrf_field": csrf_field,
            "menus_for": menus_for,
            "has_page": lambda endpoint: endpoint in app.view_functions,
        }

    app.jinja_env.filters["slot_when"] = lambda slot: timeutil.slot_when(slot.starts_at, slot.ends_at)
    app.jinja_env.filters["needs"] = eligibility.role_needs
    app.jinja_env.filters["hours"] = lambda h: f"{h:g}"
    app.jinja_env.filters["local_date"] = timeutil.local_date
    app.jinja_env.filters["local_datetime"] = timeutil.local_datetime
    app.jinja_env.filters["local_time"] = timeutil.local_time
    app.jinja_env.filters["local_day"] = lambda dt: timeutil.to_local(dt).date()
    app.jinja_env.filters["day_label"] = timeutil.day_label
    app.jinja_env.filters["short_day"] = timeutil.short_day
    app.jinja_env.filters["dated"] = timeutil.dated
    app.jinja_env.filters["dated_as"] = timeutil.dated_as
    app.jinja_env.filters["month_label"] = timeutil.month_label
    app.jinja_env.globals["weekdays"] = timeutil.weekdays
