"""Calendar files read as clients read them: Mozilla's ical.js (through Node) and Python's
icalendar with the file's own VTIMEZONE, each event's UTC times compared with zoneinfo's."""

import fcntl
import json
import shutil
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar

JS = Path(__file__).parent / "js"


def install_icaljs():
    """tests/js/node_modules (git-ignored): ical.js, mailparser and oidc-provider, installed from
    tests/js/package.json when any is missing."""
    # pytest-xdist's workers may all ask at once: one installs, the others wait for it.
    with open(JS / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if all((JS / "node_modules" / name).is_dir() for name in ("ical.js", "mailparser", "oidc-provider")):
            return
        if shutil.which("npm") is None:
            raise RuntimeError("The calendar and e-mail checks need Node and npm (to install tests/js's packages)")
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund"], cwd=JS, check=True, capture_output=True, timeout=300
        )


def read_with_icaljs(texts):
    """[[{uid, start, end}] or {error}] for each .ics text: one Node process for all of them."""
    done = subprocess.run(
        ["node", str(JS / "read_events.mjs")],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def read_with_icalendar(text):
    """[{uid, start, end}] with every local time placed by the file's VTIMEZONE, not by icalendar's
    own zone database (which would hide a wrong VTIMEZONE)."""
    cal = Calendar.from_ical(text)
    zones = {str(tz["TZID"]): tz.to_tz() for tz in cal.walk("VTIMEZONE")}

    def utc(prop):
        tzid = prop.params.get("TZID")
        moment = prop.dt.replace(tzinfo=zones[tzid]) if tzid else prop.dt
        return int(moment.astimezone(timezone.utc).timestamp())

    return [{"uid": str(e["UID"]), "start": utc(e["DTSTART"]), "end": utc(e["DTEND"])} for e in cal.walk("VEVENT")]


def unix(naive_utc):
    return int(naive_utc.replace(tzinfo=timezone.utc).timestamp())


def clock_changes(zone, year):
    """The local dates in `year` on which the zone's clocks change."""
    day, found = datetime(year, 1, 1, 12), []
    while day.year == year:
        if day.replace(tzinfo=zone).utcoffset() != (day + timedelta(days=1)).replace(tzinfo=zone).utcoffset():
            found.append((day + timedelta(days=1)).date())
        day += timedelta(days=1)
    return found
