"""The ``fangkong`` command: one entry point for every admin task (CONTRACTS.md, CLI)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from fangkong import demo, migrate
from fangkong.arrivals import cli as arrivals_cli
from fangkong.auth import cli as users_cli
from fangkong.care import cli as care_cli
from fangkong.cases import cli as cases_cli
from fangkong.core import console, security
from fangkong.core.logging import configure, logging_config
from fangkong.exports import cli as exports_cli
from fangkong.healthcode import cli as healthcode_cli
from fangkong.jobs import cli as jobs_cli
from fangkong.people import cli as people_cli
from fangkong.policy import cli as policy_cli
from fangkong.quarantine import cli as quarantine_cli
from fangkong.regions import cli as regions_cli
from fangkong.reports import cli as reports_cli
from fangkong.retention import cli as retention_cli
from fangkong.scans import cli as scans_cli
from fangkong.sentinel import cli as sentinel_cli
from fangkong.simulate import cli as simulate_cli
from fangkong.supervision import cli as supervision_cli
from fangkong.testing import cli as testing_cli
from fangkong.tracing import cli as tracing_cli
from fangkong.vaccination import cli as vaccination_cli
from fangkong.venues import cli as venues_cli

app = typer.Typer(
    help="fangkong 防控: city epidemic prevention and control platform.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="Secret keys.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo mode set-up (synthetic data only).", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(demo_app, name="demo")
app.add_typer(users_cli.app, name="users")
app.add_typer(policy_cli.app, name="policy")
app.add_typer(regions_cli.app, name="regions")
app.add_typer(people_cli.app, name="people")
app.add_typer(jobs_cli.app, name="jobs")
app.add_typer(simulate_cli.app, name="simulate")
app.add_typer(retention_cli.app, name="emergency")
app.add_typer(venues_cli.app, name="venues")
app.add_typer(healthcode_cli.app, name="health-code")
app.add_typer(scans_cli.app, name="scans")
app.add_typer(testing_cli.app, name="testing")
app.add_typer(arrivals_cli.app, name="arrivals")
app.add_typer(cases_cli.app, name="cases")
app.add_typer(tracing_cli.app, name="tracing")
app.add_typer(quarantine_cli.app, name="quarantine")
app.add_typer(exports_cli.app, name="exports")
app.add_typer(reports_cli.app, name="reports")
app.add_typer(vaccination_cli.app, name="vaccination")
app.add_typer(sentinel_cli.app, name="sentinel")
app.add_typer(supervision_cli.app, name="supervision")
app.add_typer(care_cli.app, name="care")


@db_app.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
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
