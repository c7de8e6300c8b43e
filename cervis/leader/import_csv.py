"""Import Volunteers from a CSV file: a preview that marks every bad row, then an all-or-nothing import.

Columns: e-mail, first name, last name, phone, groups (several separated by ";"), with or without
a heading row; with one, a column headed with a qualification's name holds the date gained
(cervis/leader/import_training.py). Importing the same file twice changes nothing: an address that already has an
account only gains the groups it lacks, and gets no second account or welcome e-mail.
The preview sends the file's text back in a hidden field; the import checks it all again.
"""
import csv
import io
import re
from dataclasses import dataclass, field

import peewee
from flask import render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from peewee import fn
from wtforms import HiddenField

from .. import accounts
from ..auth import leader_required
from ..db import write_transaction
from ..forms import has_control
from ..htmx import answered
from ..models import AuditLog, Group, Membership, Qualification, User
from ..permissions import groups_led_by
from . import bp, import_training

SEPARATORS = (",", ";", "\t")
COLUMNS = ("email", "first_name", "last_name", "phone", "groups")
HEADINGS = {"email": "email", "emailaddress": "email", "firstname": "first_name", "forename": "first_name",
            "givenname": "first_name", "lastname": "last_name", "surname": "last_name",
            "familyname": "last_name", "phone": "phone", "phonenumber": "phone", "mobile": "phone",
            "mobilephone": "phone", "telephone": "phone", "group": "groups", "groups": "groups"}
# Each new account hashes a temporary password (argon2, deliberately slow): keep one import short.
MAX_ROWS = 300
BATCH = 5  # rows a write transaction: 20 held the lock 290 ms on a busy 2-core machine (bench/run.py)
MAX_CHARS = 100_000  # the preview posts the text back: even URL-encoded, inside Flask's 500 kB form limit


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


class UploadForm(FlaskForm):
    file = FileField("CSV File", validators=[
        FileRequired("Please choose a CSV file."),
        FileAllowed(["csv", "txt"], "Please choose a CSV file: in your spreadsheet, use Save As and choose CSV.")])


class ConfirmForm(FlaskForm):
    csv_text = HiddenField()


@dataclass
class Row:
    line: int
    email: str
    first_name: str
    last_name: str
    phone: str
    group_names: list
    groups: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    account: object = None
    adds: list = field(default_factory=list)
    training: dict = field(default_factory=dict)  # qualification id: the date as the file has it
    training_names: dict = field(default_factory=dict)
    for_leader: bool = False  # what a leader (not an administrator) may be told
    stranger: bool = False  # an account outside the leader's groups: they are never told it exists

    @property
    def added(self):
        """A new volunteer as the preview tells it: a leader cannot tell a stranger's account from none."""
        return self.account is None or self.stranger

    @property
    def result(self):
        if self.problems:
            return "; ".join(self.problems)
        return self._result() + import_training.described(self, self.training_names)

    def _result(self):
        if self.for_leader:
            if self.added:
                return "Will be added"
            return "Is already one of your members" + (": joins " + ", ".join(g.name for g in self.adds)
                                                       if self.adds else "")
        if self.account is None:
            return "New account, welcome e-mail"
        if self.adds:
            return f"Existing account ({self.account.name}): joins " + ", ".join(g.name for g in self.adds)
        return f"No change: {self.account.name} already has an account and these groups"


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportProblem("That is not a CSV file. In your spreadsheet, use Save As and choose CSV.")
    for encoding in ("utf-8-sig", "cp1252"):  # Excel saves either, depending on the version
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _heading_key(cell):
    return HEADINGS.get(re.sub(r"[^a-z]", "", cell.lower()))


def _columns(first):
    """The column order named by a heading row, or None when the first row is a volunteer."""
    keys = [_heading_key(c) for c in first]
    if any("@" in c for c in first) or sum(k is not None for k in keys) < 2:
        return None
    qualifications = list(Qualification.ordered())
    try:
        keys = [k or import_training.column_key(c, qualifications) for k, c in zip(keys, first)]
    except import_training.CriminalRecordColumn as refused:
        raise ImportProblem(str(refused)) from None
    if "email" not in keys:
        raise ImportProblem("The heading row has no e-mail column.")
    return keys


def _reader(text):
    """Rows whatever the spreadsheet wrote: old Mac Excel ends lines with CR alone, and Excel in a
    comma-decimal locale separates with ";" (a tab-separated export with tabs)."""
    text = io.StringIO(text, newline=None).read()  # universal newlines: \r\n and \r become \n
    first = next((line for line in text.split("\n") if line.strip()), "")
    # The separator that splits the first line into the most cells; a comma on a tie, so a groups
    # cell "Northside;Southside" in a comma file stays one cell.
    separator = max(SEPARATORS, key=lambda s: len(next(csv.reader([first], delimiter=s), [])))
    return csv.reader(io.StringIO(text), delimiter=separator)


def read_rows(text):
    """The file's volunteers, one Row per non-empty line; ImportProblem if the file cannot be used."""
    if len(text) > MAX_CHARS:
        raise ImportProblem(f"That file is too large: please split it into files of at most {MAX_ROWS} rows.")
    try:
        lines = [(n, [c.strip() for c in cells]) for n, cells in enumerate(_reader(text), 1)]
    except csv.Error as error:
        raise ImportProblem(f"That file could not be read as CSV ({error}).") from None
    lines = [(n, cells) for n, cells in lines if any(cells)]
    columns = _columns(lines[0][1]) if lines else None
    if columns:
        lines = lines[1:]
    if not lines:
        raise ImportProblem("That file has no volunteers in it.")
    if len(lines) > MAX_ROWS:
        raise ImportProblem(f"That file has {len(lines)} volunteers: please split it into files of at most {MAX_ROWS}.")
    rows = []
    for number, cells in lines:
        values = dict(zip(columns or COLUMNS, cells))
        rows.append(Row(number, values.get("email", ""), values.get("first_name", ""), values.get("last_name", ""),
                        values.get("phone", ""),
                        [g.strip() for g in values.get("groups", "").split(";") if g.strip()],
                        training=import_training.cells_of(values)))
    return rows


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
    ours = {u for (u,) in Membership.select(Membership.user).where(
        Membership.user.in_(ids), Membership.group.in_(list(led) or [0])).tuples()}
    for row in rows:
        row.stranger = row.account.id not in ours


def _match_accounts(rows):
    """Existing accounts by e-mail, and the groups each would gain: two queries for the whole file."""
    emails = [accounts.normal_email(r.email) for r in rows]
    found = {u.email.lower(): u for u in User.select().where(fn.LOWER(User.email).in_(emails or [""]))}
    ids = [u.id for u in found.values()] or [0]
    have = set(Membership.select(Membership.user, Membership.group).where(Membership.user.in_(ids)).tuples())
    for row in rows:
        row.account = found.get(accounts.normal_email(row.email))
        row.adds = ([g for g in row.groups if (row.account.id, g.id) not in have]
                    if row.account else list(row.groups))


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
        batch, counts = rows[start:start + BATCH], Tally()
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
        row.account = accounts.create_volunteer(actor, row.email, row.first_name, row.last_name, row.phone,
                                                row.groups, temporary=temporary)
        counts.created += 1
    else:
        counts.joined += len(accounts.add_memberships(actor, row.account, row.adds))
    import_training.record(actor, row.account, row)


def _preview(rows, text, status=None, message=None):
    bad = [r for r in rows if r.problems]
    good = [r for r in rows if not r.problems]
    counts = {"new": sum(r.added for r in good), "joins": sum(not r.added and bool(r.adds) for r in good),
              "unchanged": sum(not r.added and not r.adds for r in good)}
    form = ConfirmForm(formdata=None, csv_text=text)
    page = render_template("leader/import_preview.html", rows=rows, bad=bad, counts=counts, form=form,
                           upload=UploadForm(formdata=None), message=message, category="error")
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
        return answered(url_for("leader.import_volunteers"),
                        f"Nothing was imported: {problem} Please upload the file again.", "error")
    if any(r.problems for r in rows):
        return _preview(rows, text, message="Nothing was imported: some rows have problems. "
                                            "Please correct them in your file and upload it again.")
    actor, tally = current_user._get_current_object(), Tally()
    try:
        import_rows(actor, rows, tally)
    except peewee.IntegrityError:  # someone added one of these addresses meanwhile
        _record(actor, len(rows), tally)
        done = f"{tally.done} of {len(rows)} rows were imported" if tally.done else "Nothing was imported"
        return _preview(check_rows(read_rows(text), current_user), text, status=409,
                        message=f"{done}: an account changed while importing. Please check and try again.")
    _record(actor, len(rows), tally)
    return answered(url_for("leader.import_volunteers"), _summary(tally, actor.is_admin))


def _record(actor, rows, tally):
    if tally.created or tally.joined or tally.asked:
        with write_transaction():
            AuditLog.record(actor, "volunteers.import", None, after={
                "rows": rows, "accounts_created": tally.created, "memberships_added": tally.joined,
                "memberships_requested": tally.asked})


def _summary(tally, is_admin):
    created, joined = tally.created, tally.joined
    if not is_admin:
        added = created + tally.asked
        if not added and not joined:
            return "Nothing to import: everyone in this file is already one of your members. Nothing was changed."
        return (f"Import complete: {added} volunteer{'s' if added != 1 else ''} added (a new account is sent "
                f"a welcome e-mail with a temporary password), and {joined} group "
                f"membership{'s' if joined != 1 else ''} added to your members.")
    if not created and not joined:
        return "Nothing to import: everyone in this file already has an account and their groups. Nothing was changed."
    return (f"Import complete: {created} new account{'s' if created != 1 else ''} (each is sent a welcome e-mail "
            f"with a temporary password), and {joined} group membership{'s' if joined != 1 else ''} added "
            "to existing accounts.")
