"""The ``fangkong`` command loads a command group when it is used, yet every command runs
with every domain's event handlers and timeline parts, in the server's order."""

from __future__ import annotations

import json
import subprocess
import sys

from fangkong.cli import GROUPS

REGISTERED = """
from fangkong.core import events
from fangkong.people import timeline

def registered():
    handlers = [f"{e.__name__}:{h.__module__}.{h.__qualname__}"
                for e, hs in events._handlers.items() for h in hs]
    return handlers, [f"{s.__module__}.{s.__qualname__}" for s in timeline._sources]
"""

PROBE = f"""
import importlib, json, sys
from typer.testing import CliRunner
from fangkong.cli import GROUPS, app
{REGISTERED}
def heavy():
    return sorted(m for m in ("fastapi", "openpyxl", "segno") if m in sys.modules)

at_start = registered()
result = CliRunner().invoke(app, sys.argv[1:])
loaded = sorted(m for m in GROUPS.values() if m in sys.modules)
heavy_for_one = heavy()
for module in GROUPS.values():
    importlib.import_module(module)
print(json.dumps({{"exit": result.exit_code, "output": result.output, "loaded": loaded,
                  "heavy_for_one": heavy_for_one, "heavy_for_all": heavy(),
                  "at_start": at_start, "with_all": registered()}}))
"""

SERVER = f"""
import json
import fangkong.main
{REGISTERED}
print(json.dumps(registered()))
"""


def _run(code: str, *args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _probe(*args: str) -> dict:
    found = _run(PROBE, *args)
    assert isinstance(found, dict)
    return found


def test_a_command_loads_its_group_and_no_web_framework():
    found = _probe("arrivals", "import", "--help")
    assert found["exit"] == 0
    assert "--dry-run" in found["output"]
    assert found["loaded"] == ["fangkong.arrivals.cli"]
    assert found["heavy_for_one"] == []  # no web framework, workbook or QR library
    assert found["heavy_for_all"] == []  # nor for any other group


def test_every_handler_is_registered_before_any_group_loads_in_the_servers_order():
    found = _probe("arrivals", "import", "--help")
    handlers, sources = found["at_start"]
    assert [handlers, sources] == found["with_all"]
    assert [handlers, sources] == _run(SERVER)
    assert len(handlers) >= 30 and len(sources) >= 7


def test_the_root_help_names_every_group_with_its_help():
    found = _probe("--help")
    assert found["exit"] == 0
    for name in GROUPS:
        assert f" {name} " in found["output"], name
    assert "Arrivals and risk zones" in found["output"]


def test_an_unknown_group_is_a_usage_error_with_a_suggestion():
    found = _probe("arival")
    assert found["exit"] == 2
    assert "No such command 'arival'" in found["output"]
    assert "Did you mean 'arrivals'?" in found["output"]
