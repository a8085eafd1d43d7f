"""The ``fangkong`` command loads a command group when it is used, yet every command runs
with every domain's event handlers and timeline parts, as the server does."""

from __future__ import annotations

import json
import subprocess
import sys

from fangkong.cli import GROUPS

PROBE = """
import importlib, json, sys
from typer.testing import CliRunner
from fangkong.cli import GROUPS, app
from fangkong.core import events
from fangkong.people import timeline

def registered():
    handlers = sorted(f"{e.__name__}:{h.__module__}.{h.__qualname__}"
                      for e, hs in events._handlers.items() for h in hs)
    return handlers, len(timeline._sources)

result = CliRunner().invoke(app, sys.argv[1:])
loaded = sorted(m for m in GROUPS.values() if m in sys.modules)
heavy = sorted(m for m in ("fastapi", "openpyxl", "segno") if m in sys.modules)
before = registered()
for module in GROUPS.values():
    importlib.import_module(module)
print(json.dumps({"exit": result.exit_code, "output": result.output, "loaded": loaded,
                  "heavy": heavy, "before": before, "after": registered()}))
"""


def _probe(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_one_group_is_loaded_and_every_handler_is_registered():
    """A command imports its group, no web framework, and every domain's handlers."""
    found = _probe("arrivals", "import", "--help")
    assert found["exit"] == 0
    assert "--dry-run" in found["output"]
    assert found["loaded"] == ["fangkong.arrivals.cli"]
    assert found["heavy"] == []  # no web framework, workbook or QR library for a command
    handlers, sources = found["before"]
    assert handlers == found["after"][0] and sources == found["after"][1]
    assert len(handlers) >= 30 and sources >= 7


def test_the_root_help_names_every_group_with_its_help():
    found = _probe("--help")
    assert found["exit"] == 0
    for name in GROUPS:
        assert f" {name} " in found["output"], name
    assert "Arrivals and risk zones" in found["output"]


def test_an_unknown_group_is_a_usage_error():
    found = _probe("no-such-group")
    assert found["exit"] == 2
    assert "No such command" in found["output"]
