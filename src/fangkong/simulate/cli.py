"""``fangkong simulate ...``: synthetic data for demos and benchmarks."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

import typer

from fangkong.core import clock, console
from fangkong.core.errors import DomainError
from fangkong.core.heap import fewer_collections
from fangkong.people.protect import Protector
from fangkong.simulate import city as city_service
from fangkong.simulate.driver import DEFAULT_START, DayLine, Driver, DriverError, Options
from fangkong.simulate.driver.existing import existing_outbreak
from fangkong.simulate.driver.files import write_mapping
from fangkong.simulate.driver.run import DRIVER
from fangkong.simulate.evaluation import (
    EVALUATION,
    EvaluationError,
    evaluate,
    latest_run,
    read_run,
)
from fangkong.simulate.generate.extras import ExtrasSummary, build_extras
from fangkong.simulate.outbreak import TruthWriter

EXTRAS_FIGURES = frozenset(ExtrasSummary.__dataclass_fields__)
app = typer.Typer(help="Synthetic data: a city, an outbreak in it.", no_args_is_help=True)


@app.command("city")
def city(  # noqa: PLR0917 - a command's options
    people: Annotated[int, typer.Option("--people", help="How many residents")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same city")],
    today: Annotated[
        str | None, typer.Option("--today", help="YYYY-MM-DD for ages (default: today)")
    ] = None,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when people already exist")
    ] = False,
    extras: Annotated[
        bool,
        typer.Option(
            "--extras", help="Also the city's vaccination, sentinels, supervision and care data"
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Build a synthetic city: streets, communities, grids, households, people, grid workers,
    and (with --extras) its vaccination, sentinels, supervision and care."""
    if not 1 <= people <= city_service.MAX_PEOPLE:
        console.bad_input(f"--people must be between 1 and {city_service.MAX_PEOPLE:,}")
    day = _parse_day(today)
    settings = console.settings()
    protector = Protector(settings.data_key_bytes)
    started = time.monotonic()
    with console.unit_of_work() as session:
        if city_service.has_people(session):
            if if_empty:
                typer.echo("people already exist: no city simulated")
                return
            console.bad_input("people already exist; simulate city needs an empty people table")
        with _progress(people, enabled=console.is_terminal() and not as_json) as advance:
            try:
                summary = city_service.build_city(
                    session,
                    people=people,
                    seed=seed,
                    today=day,
                    protector=protector,
                    now=clock.now(),
                    progress=advance,
                )
            except city_service.CityError as exc:
                console.bad_input(str(exc))
        more = {} if not extras else asdict(build_extras(session, settings=settings, seed=seed,
                                                          today=day))  # fmt: skip
    _report(asdict(summary) | more | {"seconds": round(time.monotonic() - started, 1)}, as_json)


def _parse_day(text: str | None, option: str = "--today") -> date:
    if text is None:
        return clock.local_today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        console.bad_input(f"{option} {text!r} is not a date (YYYY-MM-DD)")


@contextmanager
def _progress(total: int, *, enabled: bool) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal (stderr); a no-op otherwise."""
    if not enabled:
        yield lambda _done: None
        return
    from rich.console import Console  # noqa: PLC0415 - only a terminal needs it
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("people", total=total)
        yield lambda done: bar.update(task, completed=done)


def _report(figures: dict[str, int | float], as_json: bool) -> None:
    if as_json:
        console.print_json(figures)
        return
    typer.echo(
        "city: {districts} districts, {streets} streets, {communities} communities, "
        "{grids} grids, {households:,} households, {people:,} people, "
        "{key_group_members:,} key-group members, {grid_workers:,} grid workers "
        "in {seconds} s".format(**figures)
    )
    if "doses" in figures:
        typer.echo(", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in
                             figures.items() if name in EXTRAS_FIGURES))  # fmt: skip


@app.command("outbreak")
def outbreak(  # noqa: PLR0917 - a command's options
    days: Annotated[int, typer.Option("--days", help="Simulated days")],
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same run")],
    seed_cases: Annotated[int, typer.Option("--seed-cases", help="People infected on day 0")],
    start: Annotated[
        str | None, typer.Option("--start", help="YYYY-MM-DD of day 0 (default 2022-11-01)")
    ] = None,
    until_yesterday: Annotated[
        bool,
        typer.Option(
            "--until-yesterday", help="Day 0 is today minus --days: the last day is yesterday"
        ),
    ] = False,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when cases or an earlier run exist")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Ground truth folder (var/outbreak/seed-S/)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the outbreak model on the city in the database, feeding the platform day by day
    through its services; the model's ground truth goes to --out."""
    options = Options(days=days, seed=seed, seed_cases=seed_cases,
                      start=_first_day(start, until_yesterday, days))  # fmt: skip
    if if_empty and (reason := _existing(options)):
        typer.echo(f"{reason}: no outbreak simulated")
        return
    driver = _driver(options)
    folder = out or Path("var/outbreak") / f"seed-{seed}"
    write_mapping(folder, driver)
    lines = []
    with TruthWriter(folder, driver.city.population, driver.outbreak.venues) as truth:
        for _ in range(days):
            with fewer_collections(), console.unit_of_work() as session:  # a day is bulk work
                today, line = driver.step(session)
            truth.write(today)
            lines.append(line)
            if not as_json:
                typer.echo(_day_text(line))
    _outbreak_report(lines, folder, as_json)


def _first_day(start: str | None, until_yesterday: bool, days: int) -> date:
    """Day 0: --start, or today minus --days (the run ends yesterday, so nothing it writes
    lies in the future), or the default."""
    if until_yesterday:
        if start is not None:
            console.bad_input("give --start or --until-yesterday, not both")
        return clock.local_today() - timedelta(days=max(days, 0))
    return DEFAULT_START if start is None else _parse_day(start, option="--start")


def _existing(options: Options) -> str | None:
    """Why the database already holds an outbreak (after the parameters' own checks)."""
    try:
        options.check()
    except DriverError as error:
        console.bad_input(str(error))
    with console.unit_of_work() as session:
        return existing_outbreak(session, actor=DRIVER)


def _driver(options: Options) -> Driver:
    """Check the parameters, read the city and make the run's places (one transaction)."""
    try:
        driver = Driver(console.settings(), options)
        with console.unit_of_work() as session:
            driver.setup(session)
    except DriverError as error:
        console.bad_input(str(error))
    except DomainError as error:
        console.fail(error)
    return driver


def _day_text(line: DayLine) -> str:
    return (
        f"day {line.day} {line.date}: {line.infections} infections, "
        f"{line.positives}/{line.results} results positive, {line.cases} cases, "
        f"{line.contacts} contacts, {line.placements} placements"
    )


def _outbreak_report(lines: list[DayLine], folder: Path, as_json: bool) -> None:
    last = lines[-1]
    summary = {
        "days": len(lines),
        "infections": sum(line.infections for line in lines),
        "samples": sum(line.samples for line in lines),
        "positives": sum(line.positives for line in lines),
        "cases": last.cases,
        "contacts": last.contacts,
        "placements": last.placements,
        "truth": str(folder),
    }
    if as_json:
        console.print_json({"days": [asdict(line) for line in lines], "summary": summary})
        return
    typer.echo(
        "outbreak: {days} days, {infections} infections, {positives}/{samples} samples "
        "positive, {cases} cases, {contacts} contacts, {placements} placements; "
        "ground truth in {truth}".format(**summary)
    )


@app.command("evaluate")
def evaluate_run(
    run: Annotated[
        Path | None,
        typer.Option("--run", help="Run folder (default: the latest var/outbreak/seed-*)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Score an outbreak run against its ground truth; saves evaluation.json in the run folder."""
    try:
        info = read_run(run or latest_run())
        with console.unit_of_work() as session:
            figures = evaluate(session, actor=DRIVER, run=info)
    except EvaluationError as error:
        console.bad_input(str(error))
    text = json.dumps(figures, ensure_ascii=False, indent=2)
    (info.folder / EVALUATION).write_text(text + "\n", encoding="utf-8")
    if as_json:
        console.print_json(figures)
        return
    typer.echo(_evaluation_text(figures))


def _figure(value: object, unit: str = "") -> str:
    return "-" if value is None else f"{value}{unit}"


def _evaluation_text(figures: dict[str, Any]) -> str:
    trace, delay = figures["tracing"], figures["control_delay"]
    under, attack = figures["found_under_control"], figures["attack_rate"]
    rows = [
        ("run", f"{figures['run']} (seed {figures['seed']}, {figures['days']} days)"),
        ("contact recall", f"{_figure(trace['recall'])} "
         f"({trace['found_true_pairs']} of {trace['true_pairs']} true pairs)"),
        ("contact precision", f"{_figure(trace['precision'])} "
         f"({trace['found_true_pairs']} of {trace['found_pairs']} found pairs)"),
        ("sample to control", f"{_figure(delay['median_hours'], ' h')} median, "
         f"{_figure(delay['median_hours_placed_later'], ' h')} for those placed later "
         f"({delay['already_placed']} already placed, {delay['placed']} placed, "
         f"{delay['never_placed']} never)"),
        ("found under control", f"{_figure(under['share'])} "
         f"({under['under_control']} of {under['cases']} cases)"),
        ("attack rate", f"{_figure(attack['with_measures'])} with measures, "
         f"{_figure(attack['without_measures'])} without "
         f"({attack['infected_with_measures']} vs {attack['infected_without_measures']} "
         f"of {figures['residents']} residents)"),
    ]  # fmt: skip
    return "\n".join(f"{name:<20} {value}" for name, value in rows)
