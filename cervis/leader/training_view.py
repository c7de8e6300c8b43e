"""Members: Training and checks, each member's qualifications with their state, by qualification, and its CSV."""

from ..translated import lazy_gettext
from datetime import date

from flask import render_template, request
from flask_login import current_user

from .. import training
from ..admin.paging import Page
from ..auth import leader_required
from ..models import Membership, Qualification, User
from ..permissions import as_id, group_for_leader
from ..spreadsheet import csv_download
from . import bp

MISSING = "missing"
FILTER_STATES = {**training.STATE_WORDS, MISSING: lazy_gettext("Not held")}


def _chosen():
    """The qualifications shown (one when filtered) and the state filtered on (a member shows when
    any qualification shown is in it), from the query string."""
    every = list(Qualification.ordered())
    wanted = as_id(request.args.get("qualification", ""))
    shown = [q for q in every if q.id == wanted] or every
    state = request.args.get("state", "")
    return every, shown, state if state in FILTER_STATES else ""


def _cell(grant, qualification, today):
    """(state, words) for one member and one qualification, as a leader may see it."""
    if grant is None:
        return MISSING, "Not checked" if qualification.criminal_record_check else "—"
    state = training.state_of(grant, today)
    if qualification.criminal_record_check:
        return state, training.leader_words(grant, today)
    words = training.STATE_WORDS[state]
    if grant.expires_on and state != training.WAITING_STATE:
        words += f" ({'until' if state == training.VALID else 'on'} {grant.expires_on:%-d %b %Y})"
    return state, words + ("; proof waiting" if grant.proof_path and state != training.WAITING_STATE else "")


def _rows(members, shown, state):
    today = date.today()
    held = {(g.volunteer_id, g.qualification_id): g for g in training.grants_of([m.id for m in members])}
    rows = []
    for member in members:
        cells = [_cell(held.get((member.id, q.id)), q, today) for q in shown]
        if not state or any(cell_state == state for cell_state, _ in cells):
            rows.append({"member": member, "cells": cells})
    return rows


def _members(group):
    return (
        User.select(User.id, User.first_name, User.last_name, User.email)
        .join(Membership)
        .where(Membership.group == group)
        .order_by(User.first_name, User.last_name, User.id)
    )


@bp.route("/groups/<int:group_id>/members/training")
@leader_required
def members_training(group_id):
    group = group_for_leader(current_user, group_id)
    every, shown, state = _chosen()
    query = _members(group)
    if state:  # filtered on a state: every member is read, so the page counts what it shows
        rows = _rows(list(query), shown, state)
        page = None
    else:
        page = Page(query)
        rows = _rows(page.items, shown, state)
    return render_template(
        "leader/members_training.html",
        group=group,
        every=every,
        shown=shown,
        state=state,
        states=FILTER_STATES,
        rows=rows,
        page=page,
        chosen=shown[0].id if len(shown) == 1 else None,
    )


@bp.route("/groups/<int:group_id>/members/training.csv")
@leader_required
def members_training_csv(group_id):
    group = group_for_leader(current_user, group_id)
    _, shown, state = _chosen()
    rows = _rows(list(_members(group)), shown, state)
    return csv_download(
        f"training-and-checks-{group.id}.csv",
        ["Name", "E-mail"] + [q.name for q in shown],
        [[r["member"].name, r["member"].email or ""] + [words for _, words in r["cells"]] for r in rows],
    )
