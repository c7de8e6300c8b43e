"""Where an install keeps its files, and settings that arrive as text from the environment."""

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent
# Settings that are on or off: an environment variable gives them as text ("false" must mean off).
BOOLEANS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "MAIL_USE_TLS",
    "MAIL_USE_SSL",
    "PROXY_FIX",
    "SCHEDULER",
)
TRUE = {"1", "true", "yes", "on", "y", "t"}
FALSE = {"0", "false", "no", "off", "n", "f", ""}
LOCAL_URL = "http://127.0.0.1:5000"  # `flask --app app run`'s address: BASE_URL until one is set


def as_bool(value, name="setting"):
    if isinstance(value, (bool, int)):
        return bool(value)
    if value is None:
        return False
    text = str(value).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise ValueError(f"{name}={value!r} is neither true nor false (use true/false, yes/no, 1/0).")


def read_booleans(config):
    for name in BOOLEANS:
        if name in config:
            config[name] = as_bool(config[name], f"CERVIS_{name}")


def shipped_folder(name):
    """templates/ or static/: inside the package when installed, at the top of a checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else ROOT / name


def instance_folder(test_config=None):
    """CERVIS_INSTANCE_PATH if given; else instance/ of the checkout, or of the working folder
    when CERVIS is installed as a package (site-packages is no place for a database)."""
    chosen = (test_config or {}).get("INSTANCE_PATH") or os.environ.get("CERVIS_INSTANCE_PATH")
    if chosen:
        return Path(chosen).resolve()
    checkout = (ROOT / "pyproject.toml").is_file() and not (PACKAGE / "templates").is_dir()
    return ((ROOT if checkout else Path.cwd()) / "instance").resolve()
