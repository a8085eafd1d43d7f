"""The ``fangkong`` command: one entry point for every admin task (CONTRACTS.md, CLI)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from fangkong.core import console, security
from fangkong.core.logging import configure, logging_config

# The command groups, by name: each module's ``app``, imported when its group is used, so that
# one command does not wait for every other group's imports. Their packages are imported at
# start in this order, which gives an event's handlers the server's order (they run in the
# order they registered; tests/core/test_cli_groups.py compares the two).
GROUPS = {
    "users": "fangkong.auth.cli",
    "policy": "fangkong.policy.cli",
    "regions": "fangkong.regions.cli",
    "people": "fangkong.people.cli",
    "jobs": "fangkong.jobs.cli",
    "simulate": "fangkong.simulate.cli",
    "emergency": "fangkong.retention.cli",
    "venues": "fangkong.venues.cli",
    "health-code": "fangkong.healthcode.cli",
    "scans": "fangkong.scans.cli",
    "testing": "fangkong.testing.cli",
    "arrivals": "fangkong.arrivals.cli",
    "cases": "fangkong.cases.cli",
    "tracing": "fangkong.tracing.cli",
    "quarantine": "fangkong.quarantine.cli",
    "exports": "fangkong.exports.cli",
    "reports": "fangkong.reports.cli",
    "vaccination": "fangkong.vaccination.cli",
    "sentinel": "fangkong.sentinel.cli",
    "supervision": "fangkong.supervision.cli",
    "care": "fangkong.care.cli",
}


# Each group's package, imported now for what it registers (event handlers, timeline parts): a
# command reacts as the server would, whichever group it belongs to.
for _module in GROUPS.values():
    importlib.import_module(_module.rpartition(".")[0])


class _Groups(TyperGroup):
    """The root command: its own commands, then the ``GROUPS`` loaded on first use. (``Any``:
    the context and command types are those of typer's own copy of click, not public.)"""

    def list_commands(self, ctx: Any) -> list[str]:
        return [*super().list_commands(ctx), *(n for n in GROUPS if n not in self.commands)]

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name in GROUPS:
            self._load(cmd_name)
        elif cmd_name not in self.commands:  # a typo: "did you mean" looks at every group
            for name in GROUPS:
                self._load(name)
        return super().get_command(ctx, cmd_name)

    def _load(self, name: str) -> None:
        if name not in self.commands:
            group = typer.main.get_group(importlib.import_module(GROUPS[name]).app)
            group.name = name
            self.add_command(group)


app = typer.Typer(
    cls=_Groups,
    help="fangkong 防控: city epidemic prevention and control platform.",
    no_args_is_help=True,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="Secret keys.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo mode set-up (synthetic data only).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(demo_app, name="demo")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
    from fangkong import migrate  # noqa: PLC0415 - only this command needs the migrations

    configure(console.settings().log_level, json=False)
    migrate.upgrade(console.settings().database_url, revision)
    typer.echo(f"database at {revision}")


@keys_app.command("generate")
def keys_generate(
    env_file: Annotated[
        Path | None, typer.Option(help="Write to this file instead of printing")
    ] = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="Keep an existing file")] = False,
) -> None:
    """Print (or write) a fresh FANGKONG_SECRET_KEY and FANGKONG_DATA_KEY."""
    text = f"FANGKONG_SECRET_KEY={security.new_key()}\nFANGKONG_DATA_KEY={security.new_key()}\n"
    if env_file is None:
        typer.echo(text, nl=False)
        return
    if if_missing and env_file.exists():
        return
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text(text)
    env_file.chmod(0o600)


@demo_app.command("setup")
def demo_setup(logins_file: Annotated[Path, typer.Option()] = Path("var/demo-logins.txt")) -> None:
    """Create the demo accounts (demo mode only) and print the logins."""
    from fangkong import demo  # noqa: PLC0415 - only this command needs it

    if console.settings().env != "demo":
        console.bad_input("demo setup runs only with FANGKONG_ENV=demo")
    with console.unit_of_work() as session:
        demo.setup(session, console.settings(), logins_file)
    typer.echo(logins_file.read_text(), nl=False)


@app.command("serve")
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
) -> None:
    """Serve the site and the API."""
    import uvicorn  # noqa: PLC0415 - only the server needs it

    settings = console.settings()
    uvicorn.run(
        "fangkong.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=logging_config(settings.log_level, json=settings.log_json),
        proxy_headers=True,
        server_header=False,
    )


@app.command("worker")
def worker() -> None:
    """Run the scheduled jobs (start one beside the server)."""
    from fangkong.jobs.worker import build_scheduler  # noqa: PLC0415

    settings = console.settings()
    configure(settings.log_level, json=settings.log_json)
    build_scheduler(console.database(), settings).start()


def main() -> None:
    """Entry point. Typer's standalone mode exits 2 on usage errors; commands exit 2 on bad
    input with one line on stderr (``core.console.fail``) and 1 on failure."""
    app()
