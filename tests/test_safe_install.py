"""A safe install: the demo leaves a charity's data alone, a built wheel serves every page,
and every setting the code reads is documented and spelt as operators spell it."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cervis import create_app
from cervis.db import database
from cervis.models import Organisation, User

REPO = Path(__file__).resolve().parent.parent


def test_demo_refuses_a_database_that_holds_a_charitys_own_people(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code != 0
    assert "Wycombe Example Connection" in result.output and "--force" in result.output
    with app.app_context(), database.connection_context():
        assert Organisation.current().name == "Wycombe Example Connection"
        assert User.by_email("admin@example.org") is None


def test_demo_loads_with_force_and_into_an_empty_instance_again_and_again(app, tmp_path, monkeypatch):
    forced = app.test_cli_runner().invoke(args=["demo", "--force"])
    assert forced.exit_code == 0, forced.output
    with app.app_context(), database.connection_context():
        assert User.by_email("admin@example.org") and User.by_email("vera@example.org")
    monkeypatch.setenv("CERVIS_INSTANCE_PATH", str(tmp_path / "empty"))
    empty = create_app()  # (the database is one per process: from here on, the empty one)
    for _ in range(2):  # a second run finds only the demo's own data
        result = empty.test_cli_runner().invoke(args=["demo"])
        assert result.exit_code == 0, result.output
        assert "admin@example.org" in result.output


@pytest.mark.parametrize(
    "text, meaning",
    [
        ("false", False),
        ("False", False),
        ("0", False),
        ("no", False),
        ("off", False),
        ("true", True),
        ("True", True),
        ("1", True),
        ("yes", True),
        ("on", True),
    ],
)
def test_boolean_settings_accept_the_usual_spellings(tmp_path, monkeypatch, text, meaning):
    monkeypatch.setenv("CERVIS_INSTANCE_PATH", str(tmp_path))
    for name in ("SESSION_COOKIE_SECURE", "PROXY_FIX", "MAIL_USE_TLS", "MAIL_USE_SSL", "SCHEDULER"):
        monkeypatch.setenv(f"CERVIS_{name}", text)
    app = create_app()
    for name in ("SESSION_COOKIE_SECURE", "PROXY_FIX", "MAIL_USE_TLS", "MAIL_USE_SSL", "SCHEDULER"):
        assert app.config[name] is meaning, name
    assert (type(app.wsgi_app).__name__ == "ProxyFix") is meaning


def test_a_boolean_setting_spelt_wrong_stops_the_start_with_its_name(tmp_path, monkeypatch):
    monkeypatch.setenv("CERVIS_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CERVIS_PROXY_FIX", "maybe")
    with pytest.raises(ValueError, match="CERVIS_PROXY_FIX"):
        create_app()


def test_every_setting_the_code_reads_is_in_the_readme():
    code = "\n".join(p.read_text() for p in (REPO / "cervis").rglob("*.py"))
    read = set(re.findall(r"config(?:\.get\(|\[)\"([A-Z_]+)\"", code))
    read |= set(re.findall(r"\"CERVIS_([A-Z_]+)\"", code))
    read |= {name for name in re.findall(r"\b([A-Z][A-Z_]+)=", code.split("DEFAULTS = dict(")[1].split(")\n")[0])}
    read -= {"TESTING"}
    table = (REPO / "README.md").read_text().split("## Configuration")[1]
    missing = sorted(name for name in read if f"`{name}`" not in table)
    assert read and missing == []


def test_an_installed_wheel_serves_the_login_page_and_its_static_files(tmp_path):
    source = tmp_path / "source"
    for name in ("cervis", "templates", "static"):
        shutil.copytree(REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md", "app.py"):
        shutil.copy(REPO / name, source / name)
    run = lambda *args, **kw: subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, **kw)  # noqa: E731
    run(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"), str(source))
    wheel = next((tmp_path / "dist").glob("cervis-*.whl"))
    # A venv of its own: the wheel brings its dependencies (the tested versions, from pip's cache or
    # the registry), and nothing leaks in from the interpreter running the tests.
    run(sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv"))
    python = tmp_path / "venv" / "bin" / "python"
    run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        str(python),
        "install",
        "-q",
        "-c",
        str(REPO / "constraints.txt"),
        str(wheel),
    )
    shutil.rmtree(source)  # nothing may come from the source tree
    out = run(
        str(python),
        "-c",
        SERVE_LOGIN_PAGE,
        cwd=tmp_path,
        env={"CERVIS_INSTANCE_PATH": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"},
    )
    assert out.stdout.strip() == "served", out.stdout + out.stderr
    assert (tmp_path / "data" / "cervis.db").is_file()


SERVE_LOGIN_PAGE = """
import re, sys
import sysconfig
import cervis
assert cervis.__file__.startswith(sys.prefix), cervis.__file__
from cervis import create_app
from cervis.migrations import init_db
app = create_app()
with app.app_context():
    init_db()
client = app.test_client()
page = client.get("/login")
assert page.status_code == 200 and b"Log in" in page.data, page.status_code
assets = re.findall(r'(?:src|href)="(/static/[^"?]+)', page.get_data(as_text=True))
assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
for asset in assets:
    answer = client.get(asset)
    assert answer.status_code == 200 and len(answer.data) > 100, asset
    answer.close()
# Every module came from this venv or the standard library, never another site-packages.
home = (sys.prefix, sysconfig.get_paths()["stdlib"])
outside = {m.__name__ for m in list(sys.modules.values()) if getattr(m, "__file__", None)
           and not m.__file__.startswith(home)}
assert not outside, sorted(outside)
print("served")
"""


def test_cervis_starts_without_loading_the_rota_solver(tmp_path):
    """OR-Tools (18 MB in memory) is loaded by the first Suggest Rota, not by every start."""
    check = "import sys, app; assert not {'ortools', 'pandas', 'numpy'} & set(sys.modules), sorted(sys.modules)"
    subprocess.run(
        [sys.executable, "-c", check],
        cwd=REPO,
        check=True,
        timeout=60,
        env={"CERVIS_INSTANCE_PATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
