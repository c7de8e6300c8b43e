"""The shape of the code, checked: the layers and no circles (import-linter's contracts in
pyproject.toml, function-local imports included), and ruff's lint and format over the whole tree."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_no_module_imports_a_layer_above_it_and_none_import_each_other(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert code == 0, capsys.readouterr().out


def test_ruff_finds_nothing_to_mend():
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert found.returncode == 0, found.stdout + found.stderr


def test_the_whole_tree_is_as_ruff_format_leaves_it():
    found = subprocess.run(
        [sys.executable, "-m", "ruff", "format", "--check", "--no-cache", "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert found.returncode == 0, found.stdout + found.stderr


def test_every_fetch_for_this_user_or_fail_is_in_permissions():
    """An object fetched by id for a page, or 404/403, is fetched in cervis/permissions.py only."""
    found = []
    for path in (ROOT / "cervis").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef) and node.name.endswith(("_or_404", "_for_leader", "_for_volunteer")):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    # An email kind is a name from the previews' list, not a row of the database.
    elsewhere = [f for f in found if not f.startswith("cervis/permissions.py") and not f.endswith(" kind_or_404")]
    assert elsewhere == []


def test_the_log_in_pages_are_a_package_of_their_own(app):
    """Log in, passwords and the session: every "auth" endpoint is served from cervis/auth/."""
    views = {name: view.__module__ for name, view in app.view_functions.items() if name.startswith("auth.")}
    assert {"auth.login", "auth.logout", "auth.reset", "auth.change_password", "auth.idle"} <= set(views)
    assert [name for name, module in views.items() if not module.startswith("cervis.auth.")] == []


def test_no_module_is_over_400_lines():
    long = [
        f"{path.relative_to(ROOT)}: {n}"
        for path in sorted((ROOT / "cervis").rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > 400
    ]
    assert long == []


def test_no_test_module_imports_another():
    """What tests share lives in tests/helpers_*.py (or conftest.py), not in another test module."""
    found = []
    for path in (ROOT / "tests").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else ([a.name for a in node.names] if isinstance(node, ast.Import) else [])
            )
            found += [f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n.startswith("test_")]
    assert found == []


def test_only_the_email_modules_name_a_kind_of_email():
    """The domain calls one small function per kind (cervis/email_kinds.py, emails.py), never the
    outbox's generic queue with a kind of its own."""
    generic = re.compile(r"emails\.(queue|to_user|once|Letters)\(")
    found = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "cervis").rglob("*.py"))
        if path.name not in ("emails.py", "email_kinds.py") and generic.search(path.read_text())
    ]
    assert found == []
