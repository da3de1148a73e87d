"""``.env.example`` lists every environment variable the settings (and the beat schedule they
read) use, so it cannot go stale."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = (ROOT / "magelang" / "settings.py", ROOT / "magelang" / "schedule.py")
EXAMPLE = ROOT / ".env.example"


def variables_read_by_settings() -> set[str]:
    """Names passed to os.environ.get / os.getenv / os.environ[...] and to settings' env_* readers."""
    names: set[str] = set()
    trees = [ast.parse(path.read_text()) for path in SETTINGS]
    for node in (node for tree in trees for node in ast.walk(tree)):
        target: ast.expr | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            reader = (isinstance(func, ast.Name) and func.id.startswith("env_")) or (
                isinstance(func, ast.Attribute)
                and (
                    func.attr == "getenv"
                    or (func.attr == "get" and ast.unparse(func.value) == "os.environ")
                )
            )
            target = node.args[0] if reader else None
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            target = node.slice
        if isinstance(target, ast.Constant) and isinstance(target.value, str):
            names.add(target.value)
    return names


def variables_in_example() -> set[str]:
    return set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", EXAMPLE.read_text(), flags=re.MULTILINE))


def test_the_parser_finds_the_variables_read_in_every_way():
    names = variables_read_by_settings()
    # os.environ.get, env_bool, env_list, os.environ[...] and the proxy header's own reader.
    assert {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "ENGINE_SWEEP_SECONDS"} <= names
    assert {"SECURE_PROXY_SSL_HEADER", "LOG_FORMAT", "SESSION_IDLE_MINUTES"} <= names


def test_every_variable_the_settings_read_is_in_the_example():
    missing = variables_read_by_settings() - variables_in_example()
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_the_example_names_no_variable_the_settings_ignore():
    # The last section may name the process set's own variables (Procfile, docker-compose.yml).
    settings_part = EXAMPLE.read_text().split("# --- Read by the process set", 1)[0]
    unknown = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]*)=", settings_part, flags=re.MULTILINE))
    assert unknown - variables_read_by_settings() == set()


def test_the_example_holds_no_usable_secret():
    assert re.search(r"^SECRET_KEY=$", EXAMPLE.read_text(), flags=re.MULTILINE)
