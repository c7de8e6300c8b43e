"""CI proves the scale path: the README's test command runs the suite on SQLite, then again on a
PostgreSQL server it starts itself, on a fresh Debian 12 machine that has no PostgreSQL yet."""

import re
import tomllib
from pathlib import Path

from helpers_postgresql import binaries

ROOT = Path(__file__).resolve().parent.parent


def _test_command():
    """The README's second command: the one that installs the test needs and runs the tests."""
    commands = re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    return commands[1]


def test_ci_runs_exactly_the_readmes_test_command():
    assert (ROOT / ".ci" / "run").read_text().rstrip().splitlines()[-1] == _test_command()


def test_the_test_command_runs_the_suite_on_sqlite_then_on_postgresql():
    command = _test_command()
    assert command.endswith(
        ".venv/bin/python -m pytest -q -n 2 && .venv/bin/python -m pytest -q -n 2 --database postgresql"
    )
    assert re.search(r"apt-get install -y -qq [^;}]*\bpostgresql\b", command)  # Debian's package, when missing
    assert "/usr/lib/postgresql/*/bin/postgres" in command  # where Debian puts it: off the PATH


def test_the_test_needs_bring_the_postgresql_driver_pinned():
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["test"]
    assert any(re.fullmatch(r"psycopg2-binary>=2\.9,<3", need) for need in extra)
    assert re.search(r"^psycopg2-binary==2\.9\.\d+$", (ROOT / "constraints.txt").read_text(), re.M)


def test_the_newest_of_debians_postgresql_versions_is_found_off_the_path(tmp_path):
    for version in ("9", "15", "13"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "postgres").touch()
    assert binaries(tmp_path) == tmp_path / "15" / "bin"
