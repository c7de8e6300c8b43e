"""Import Volunteers from a CSV file: a preview that marks every bad row, then an all-or-nothing import.
(Reading the file itself: volunteer_file.py.)

Columns: e-mail, first name, last name, phone, groups (several separated by ";"), with or without
a heading row; with one, a column headed with a qualification's name holds the date gained
(cervis/leader/import_training.py). Importing the same file twice changes nothing: an address that already has an
account only gains the groups it lacks, and gets no second account or welcome e-mail.
The preview sends the file's text back in a hidden field; the import checks it all again.
"""

from flask_babel import gettext
from ..translated import lazy_gettext
from dataclasses import dataclass

import peewee
from flask import render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField

from .. import accounts
from ..auth import leader_required
from ..db import write_transaction
from ..forms import changes_direction, has_control
from ..htmx import answered
from ..models import AuditLog, Group, Membership, Qualification, User
from ..permissions import groups_led_by
from . import bp, import_training
from .volunteer_file import MAX_CHARS, ImportProblem, decode, read_rows

BATCH = 5  # rows a write transaction: 20 held the lock 290 ms on a busy 2-core machine (bench/run.py)


class UploadForm(FlaskForm):
    file = FileField(
        lazy_gettext("CSV File"),
        validators=[
            FileRequired(lazy_gettext("Please choose a CSV file.")),
            FileAllowed(
                ["csv", "txt"],
                lazy_gettext("Please choose a CSV file: in your spreadsheet, use Save As and choose CSV."),
            ),
        ],
    )


class ConfirmForm(FlaskForm):
    csv_text = HiddenField()


def _row_problems(row, known, led, is_admin):
    problems = []
    if accounts.email_problem(row.email):
        problems.append(f"Bad e-mail address: “{row.email}”" if row.email else "Missing e-mail address")
    if not row.first_name:
        problems.append("Missing first name")
    if not row.last_name:
        problems.append("Missing last name")
    if max(len(row.first_name), len(row.last_name)) > accounts.NAME_MAX or len(row.phone) > accounts.PHONE_MAX:
        problems.append("Name or phone too long")
    if any(has_control(value) for value in (row.email, row.first_name, row.last_name, row.phone)):
        problems.append("A line break or other control character in the e-mail address, name or phone")
    if any(changes_direction(value) for value in (row.email, row.first_name, row.last_name, row.phone)):
        problems.append(
            "A hidden character that changes the direction of the text in the e-mail address, name or phone"
        )
    for name in row.group_names:
        group = known.get(name.lower())
        if group is None:
            problems.append(f"Unknown group: “{name}”")
        elif group.id not in led:
            problems.append(f"Not a group you lead: {group.name}")
        elif group not in row.groups:
            row.groups.append(group)
    if not row.group_names and not is_admin:
        problems.append("No group given")
    return problems + import_training.problems(row, row.training_names)


def check_rows(rows, user):
    """Mark each row's problems, and what importing it would do."""
    known = {g.name.strip().lower(): g for g in Group.select()}
    led = {g.id for g in groups_led_by(user)}
    names = dict(Qualification.select(Qualification.id, Qualification.name).tuples())
    first_line = {}
    for row in rows:
        row.training_names = names
        row.for_leader = not user.is_admin
        row.problems = _row_problems(row, known, led, user.is_admin)
        email = accounts.normal_email(row.email)
        if email and email in first_line:
            row.problems.append(f"Duplicate: the same e-mail address is on line {first_line[email]}")
        first_line.setdefault(email, row.line)
    _match_accounts([r for r in rows if not r.problems])
    if not user.is_admin:
        _mark_strangers([r for r in rows if not r.problems and r.account is not None], led)
    return rows


def _mark_strangers(rows, led):
    """A leader may not pull someone else's volunteer into their group (joining would show them
    that person's allergies and emergency contact), nor learn that an address has an account:
    such a row reads "Will be added" like a new one, and importing it asks an administrator."""
    ids = [r.account.id for r in rows] or [0]
    ours = {
        u
        for (u,) in Membership.select(Membership.user)
        .where(Membership.user.in_(ids), Membership.group.in_(list(led) or [0]))
        .tuples()
    }
    for row in rows:
        row.stranger = row.account.id not in ours


def _match_accounts(rows):
    """Existing accounts by e-mail, and the groups each would gain: two queries for the whole file."""
    emails = [accounts.normal_email(r.email) for r in rows]  # User.by_email's rule, for the whole file at once
    found = {u.email: u for u in User.select().where(User.email.in_(emails or [""]))}
    ids = [u.id for u in found.values()] or [0]
    have = set(Membership.select(Membership.user, Membership.group).where(Membership.user.in_(ids)).tuples())
    for row in rows:
        row.account = found.get(accounts.normal_email(row.email))
        row.adds = [g for g in row.groups if (row.account.id, g.id) not in have] if row.account else list(row.groups)


@dataclass
class Tally:
    done: int = 0  # rows imported
    created: int = 0
    joined: int = 0  # memberships added
    asked: int = 0  # strangers an administrator is asked to add


def import_rows(actor, rows, tally):
    """Create the new accounts, add the missing memberships and ask for strangers, a batch of rows a
    write transaction, counting into `tally` (the batches before a failure stay imported).

    Every password hash is made first, outside the write lock: 300 of them inside one transaction
    held the site up for nine seconds. Importing the file again after an IntegrityError finishes
    the rest, since a row already imported changes nothing.
    """
    made = {r.line: accounts.make_temporary_password() for r in rows if r.account is None and not r.stranger}
    for start in range(0, len(rows), BATCH):
        batch, counts = rows[start : start + BATCH], Tally()
        with write_transaction():
            for row in batch:
                _import_row(actor, row, made.get(row.line), counts)
        tally.done, tally.created = tally.done + len(batch), tally.created + counts.created
        tally.joined, tally.asked = tally.joined + counts.joined, tally.asked + counts.asked


def _import_row(actor, row, temporary, counts):
    if row.stranger:
        AuditLog.record(actor, "membership.request", row.account, after={"groups": [g.name for g in row.adds]})
        counts.asked += 1
        return  # their training is not this leader's to record
    if row.account is None:
        row.account = accounts.create_volunteer(
            actor, row.email, row.first_name, row.last_name, row.phone, row.groups, temporary=temporary
        )
        counts.created += 1
    else:
        counts.joined += len(accounts.add_memberships(actor, row.account, row.adds))
    import_training.record(actor, row.account, row)


def _preview(rows, text, status=None, message=None):
    bad = [r for r in rows if r.problems]
    good = [r for r in rows if not r.problems]
    counts = {
        "new": sum(r.added for r in good),
        "joins": sum(not r.added and bool(r.adds) for r in good),
        "unchanged": sum(not r.added and not r.adds for r in good),
    }
    form = ConfirmForm(formdata=None, csv_text=text)
    page = render_template(
        "leader/import_preview.html",
        rows=rows,
        bad=bad,
        counts=counts,
        form=form,
        upload=UploadForm(formdata=None),
        message=message,
        category="error",
    )
    return page, status or (400 if bad else 200)


@bp.route("/volunteers/import", methods=["GET", "POST"])
@leader_required
def import_volunteers():
    form = UploadForm()
    if form.validate_on_submit():
        try:
            text = decode(form.file.data.read(MAX_CHARS * 4 + 1))
            return _preview(check_rows(read_rows(text), current_user), text)
        except ImportProblem as problem:
            form.file.errors.append(str(problem))
    return render_template("leader/import.html", form=form), 400 if form.is_submitted() else 200


@bp.route("/volunteers/import/confirm", methods=["POST"])
@leader_required
def import_confirm():
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            raise ImportProblem("The form had expired.")
        text = form.csv_text.data or ""
        rows = check_rows(read_rows(text), current_user)
    except ImportProblem as problem:
        return answered(
            url_for("leader.import_volunteers"),
            gettext("Nothing was imported: %(problem)s Please upload the file again.", problem=problem),
            "error",
        )
    if any(r.problems for r in rows):
        return _preview(
            rows,
            text,
            message=gettext(
                "Nothing was imported: some rows have problems. Please correct them in your file and upload it again."
            ),
        )
    actor, tally = current_user._get_current_object(), Tally()
    try:
        import_rows(actor, rows, tally)
    except peewee.IntegrityError:  # someone added one of these addresses meanwhile
        _record(actor, len(rows), tally)
        done = f"{tally.done} of {len(rows)} rows were imported" if tally.done else "Nothing was imported"
        return _preview(
            check_rows(read_rows(text), current_user),
            text,
            status=409,
            message=gettext("%(done)s: an account changed while importing. Please check and try again.", done=done),
        )
    _record(actor, len(rows), tally)
    return answered(url_for("leader.import_volunteers"), _summary(tally, actor.is_admin))


def _record(actor, rows, tally):
    if tally.created or tally.joined or tally.asked:
        with write_transaction():
            AuditLog.record(
                actor,
                "volunteers.import",
                None,
                after={
                    "rows": rows,
                    "accounts_created": tally.created,
                    "memberships_added": tally.joined,
                    "memberships_requested": tally.asked,
                },
            )


def _summary(tally, is_admin):
    created, joined = tally.created, tally.joined
    if not is_admin:
        added = created + tally.asked
        if not added and not joined:
            return "Nothing to import: everyone in this file is already one of your members. Nothing was changed."
        return (
            f"Import complete: {added} volunteer{'s' if added != 1 else ''} added (a new account is sent "
            f"a welcome e-mail with a temporary password), and {joined} group "
            f"membership{'s' if joined != 1 else ''} added to your members."
        )
    if not created and not joined:
        return "Nothing to import: everyone in this file already has an account and their groups. Nothing was changed."
    return (
        f"Import complete: {created} new account{'s' if created != 1 else ''} (each is sent a welcome e-mail "
        f"with a temporary password), and {joined} group membership{'s' if joined != 1 else ''} added "
        "to existing accounts."
    )
