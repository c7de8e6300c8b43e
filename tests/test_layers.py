"""The shape of the code, checked: the layers and no circles (import-linter's contracts in
pyproject.toml, function-local imports included), and ruff's lint over the whole tree."""
import os
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
    found = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                           cwd=ROOT, capture_output=True, text=True, env={**os.environ, "NO_COLOR": "1"})
    assert found.returncode == 0, found.stdout + found.stderr
