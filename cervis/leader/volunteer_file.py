"""Reading the volunteers' file for Import Volunteers: its bytes decoded as Excel saves them, the
separator and the heading row found, one Row per volunteer; ImportProblem when the file as a whole
cannot be used. (import_csv.py checks the rows, shows the preview and imports.)"""

import csv
import io
import re
from dataclasses import dataclass, field

from ..models import Qualification
from . import import_training

SEPARATORS = (",", ";", "\t")
COLUMNS = ("email", "first_name", "last_name", "phone", "groups")
HEADINGS = {
    "email": "email",
    "emailaddress": "email",
    "firstname": "first_name",
    "forename": "first_name",
    "givenname": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "phone": "phone",
    "phonenumber": "phone",
    "mobile": "phone",
    "mobilephone": "phone",
    "telephone": "phone",
    "group": "groups",
    "groups": "groups",
}
# Each new account hashes a temporary password (argon2, deliberately slow): keep one import short.
MAX_ROWS = 300
MAX_CHARS = 100_000  # the preview posts the text back: even URL-encoded, inside Flask's 500 kB form limit


class ImportProblem(Exception):
    """The file as a whole cannot be read; the message says why."""


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
            return "Is already one of your members" + (
                ": joins " + ", ".join(g.name for g in self.adds) if self.adds else ""
            )
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
        rows.append(
            Row(
                number,
                values.get("email", ""),
                values.get("first_name", ""),
                values.get("last_name", ""),
                values.get("phone", ""),
                [g.strip() for g in values.get("groups", "").split(";") if g.strip()],
                training=import_training.cells_of(values),
            )
        )
    return rows
