"""Statistics and the funder's report: administrators see every group, a leader their own groups.

The figures come from cervis.statistics alone; another group's or opportunity's figures are refused
(403) whatever the link asks for.
"""

from flask_babel import gettext
from ..translated import N_
from flask import abort, render_template, request
from flask_login import current_user

from .. import statistics, volunteer_limits
from ..auth import leader_required
from ..db import utcnow
from ..models import Membership, Opportunity, Organisation, Role
from ..permissions import as_id, groups_led_by
from ..spreadsheet import csv_download, xlsx_download
from ..statistics.period import KINDS
from ..timeutil import org_zone
from . import bp
from .statistics_charts import SERIES, charts
from .statistics_report import REPORT_HEADER, report_rows

TITLE = N_("Statistics")


def _scope():
    """(scope, chosen {group, opportunity, role}, the groups and role names to choose from)."""
    groups = list(groups_led_by(current_user))
    allowed = {g.id for g in groups}
    group_id, opportunity_id = request.args.get("group", ""), request.args.get("opportunity", "")
    chosen = {"group": None, "opportunity": None, "role": None}
    ids = tuple(sorted(allowed))
    if group_id:
        group = as_id(group_id)
        if group is None:
            abort(404)
        if group not in allowed:
            abort(403)
        chosen["group"], ids = group, (group,)
    if opportunity_id:
        opportunity = Opportunity.get_or_none(Opportunity.id == as_id(opportunity_id))
        if opportunity is None:
            abort(404)
        if opportunity.group_id not in ids:
            abort(403)
        chosen["opportunity"] = opportunity.id
    roles = sorted({name for (name,) in Role.select(Role.name).where(Role.group.in_(ids or [0])).tuples()})
    role = request.args.get("role", "")
    if role:
        if role not in roles:
            abort(404)
        chosen["role"] = role
    scope = statistics.Scope(
        ids, chosen["opportunity"], chosen["role"], ungrouped=current_user.is_admin and not group_id
    )
    return scope, chosen, groups, roles


def _figures(report=False):
    now, zone = utcnow(), org_zone()
    scope, chosen, groups, roles = _scope()
    period, errors = statistics.period.from_args(request.args, now, zone)
    stats = statistics.compute(scope, period, now, zone, Organisation.current().hourly_value, report)
    opportunities = list(
        Opportunity.select(Opportunity.id, Opportunity.name)
        .where(Opportunity.group.in_(list(scope.group_ids) or [0]))
        .order_by(Opportunity.name)
    )
    context = dict(
        stats=stats,
        errors=errors,
        chosen=chosen,
        groups=groups,
        roles=roles,
        opportunities=opportunities,
        kinds=KINDS,
        args={**period.args(), **{k: v for k, v in chosen.items() if v is not None}},
        typed=request.args,
    )
    return stats, context


@bp.route("/statistics")
@leader_required
def statistics_page():
    stats, context = _figures()
    status = 400 if context["errors"] else 200
    page = render_template(
        "leader/statistics.html",
        title=gettext(TITLE),
        charts=charts(stats),
        series=SERIES,
        near_limits=_near_limits(stats),
        **context,
    )
    return page, status


def _near_limits(stats):
    """Who is at or close to their own monthly limit in the period's months: the scope's members (an
    administrator's whole picture: everyone)."""
    scope = stats.scope
    members = Membership.select(Membership.user).where(Membership.group.in_(list(scope.group_ids) or [0]))
    return volunteer_limits.near_limits(stats.period.months(), None if scope.ungrouped else members)


@bp.route("/statistics/report")
@leader_required
def funders_report():
    stats, context = _figures(report=True)
    return render_template(
        "leader/funders_report.html", title=gettext("Funder's Report"), rows=report_rows(stats), **context
    )


def _download_name(stats, extension):
    return f"funders-report-{stats.period.first.isoformat()}-to-{stats.period.last.isoformat()}.{extension}"


@bp.route("/statistics/report.csv")
@leader_required
def funders_report_csv():
    stats, _ = _figures(report=True)
    return csv_download(_download_name(stats, "csv"), REPORT_HEADER, report_rows(stats))


@bp.route("/statistics/report.xlsx")
@leader_required
def funders_report_xlsx():
    stats, _ = _figures(report=True)
    return xlsx_download(_download_name(stats, "xlsx"), "Funder's report", REPORT_HEADER, report_rows(stats))
