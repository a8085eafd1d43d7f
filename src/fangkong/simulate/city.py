"""``simulate city``: read what the database holds, then stream the generated city into it.

The city comes from ``generate`` (pure, seeded). From ``PARALLEL_FROM`` people on it runs in
a child process (``simulate.child``), so that drawing and sealing people (Python, one core)
and writing them (the database, the other core) overlap; a writer thread did not help, the
two took turns at the GIL.
Either way the rows are the same. Everything is written in the caller's transaction, so a
failure leaves no half city, and ``people.service.recount_grids`` brings the seven counts of
every new grid up to date at the end.
"""

from __future__ import annotations

import pickle
import subprocess
import sys
from collections.abc import Callable, Generator, Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session

from fangkong.models import (
    Base,
    GridAssignment,
    Household,
    KeyGroupMembership,
    Person,
    Region,
    RegionLevel,
    User,
)
from fangkong.people import service as people_service
from fangkong.people.protect import Protector
from fangkong.simulate import bulk
from fangkong.simulate.generate import (
    HOUSEHOLD_COLUMNS,
    MAX_PEOPLE,
    MEMBERSHIP_COLUMNS,
    PERSON_COLUMNS,
    Batch,
    CityError,
    CitySpec,
    District,
    Failure,
    Message,
    Regions,
    Summary,
    Workers,
    generate,
)

__all__ = ["MAX_PEOPLE", "CityError", "Summary", "build_city", "has_people", "read_spec"]

PARALLEL_FROM = 50_000  # below this many people a child process costs more than it saves
CHILD_MODULE = "fangkong.simulate.child"
CHILD_EXIT_SECONDS = 30
INSERT_CHUNK = 5_000
TABLES = Base.metadata.tables
PEOPLE, HOUSEHOLDS = TABLES[Person.__tablename__], TABLES[Household.__tablename__]
MEMBERSHIPS, USERS = TABLES[KeyGroupMembership.__tablename__], TABLES[User.__tablename__]
REGIONS, ASSIGNMENTS = TABLES[Region.__tablename__], TABLES[GridAssignment.__tablename__]


def has_people(session: Session) -> bool:
    return session.scalar(select(Person.id).limit(1)) is not None


def build_city(
    session: Session,
    *,
    people: int,
    seed: int,
    today: date,
    protector: Protector,
    now: datetime,
    progress: Callable[[int], None] | None = None,
    parallel: bool | None = None,
) -> Summary:
    """Generate and write a city of ``people`` residents; the caller commits.

    ``parallel`` forces the child process on or off (default: from ``PARALLEL_FROM`` on).
    """
    spec = read_spec(session, people=people, seed=seed, today=today, key=protector.key, now=now)
    use_child = people >= PARALLEL_FROM if parallel is None else parallel
    messages = _from_child(spec) if use_child else generate(spec)
    grids: list[str] = []
    with closing(messages), bulk.writer_for(session) as writer:
        summary = _load(session, writer, messages, _Loaded(spec, grids, progress))
        writer.finish([PEOPLE, HOUSEHOLDS, MEMBERSHIPS, USERS])
    people_service.recount_grids(session, grids)
    return summary


def read_spec(
    session: Session, *, people: int, seed: int, today: date, key: bytes, now: datetime
) -> CitySpec:
    """The request plus what the database holds: its districts and the next free ids."""
    districts = session.execute(
        select(Region.code, Region.name)
        .where(Region.level == RegionLevel.DISTRICT)
        .order_by(Region.code)
    ).all()
    return CitySpec(
        people=people,
        seed=seed,
        today=today,
        now=now,
        data_key=key,
        districts=tuple(District(c, n, _next_street(session, c)) for c, n in districts),
        first_person=_next_id(session, Person),
        first_household=_next_id(session, Household),
        first_membership=_next_id(session, KeyGroupMembership),
        first_user=_next_id(session, User),
    )


def _next_id(session: Session, model: type[Any]) -> int:
    return int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0) + 1


def _next_street(session: Session, district: str) -> int:
    """Streets are numbered after any the district already has (from an import)."""
    last = session.scalar(select(func.max(Region.code)).where(Region.parent_code == district))
    return int(last[-3:]) + 1 if last else 1


@dataclass
class _Loaded:
    spec: CitySpec
    grids: list[str]  # codes of the new grids
    progress: Callable[[int], None] | None
    people: int = 0


def _load(
    session: Session, writer: bulk.BulkWriter, messages: Iterable[Message], loaded: _Loaded
) -> Summary:
    for message in messages:
        if isinstance(message, Regions):
            rows = [row | {"created_at": loaded.spec.now} for row in message.rows]
            _insert(session, REGIONS, rows)
            loaded.grids.extend(r["code"] for r in rows if r["level"] == RegionLevel.GRID.value)
        elif isinstance(message, Batch):
            _write_batch(writer, message)
            loaded.people += len(message.people)
            if loaded.progress is not None:
                loaded.progress(loaded.people)
        elif isinstance(message, Workers):
            _insert(session, USERS, message.users)
            _insert(session, ASSIGNMENTS, message.assignments)
        else:
            return message
    raise RuntimeError("the city generator stopped before its summary")


def _write_batch(writer: bulk.BulkWriter, batch: Batch) -> None:
    """Households without heads, their people, memberships; then each household's head."""
    writer.write(HOUSEHOLDS, HOUSEHOLD_COLUMNS, batch.households)
    writer.write(PEOPLE, PERSON_COLUMNS, batch.people)
    writer.write(MEMBERSHIPS, MEMBERSHIP_COLUMNS, batch.memberships)
    writer.set_column(HOUSEHOLDS, "head_id", batch.heads)


def _insert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    for start in range(0, len(rows), INSERT_CHUNK):
        session.execute(insert(table), rows[start : start + INSERT_CHUNK])


def _from_child(spec: CitySpec) -> Generator[Message]:
    """``generate(spec)`` run by ``python -m fangkong.simulate.child``, read from its pipe.

    The child runs at most one batch ahead: it blocks writing the next batch until this
    process has written the previous one and reads it.
    """
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
        [sys.executable, "-m", CHILD_MODULE], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert child.stdin is not None and child.stdout is not None
    try:
        with child.stdin:
            pickle.dump(spec, child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        while True:
            message = _receive(child)
            yield message
            if isinstance(message, Summary):
                child.wait(timeout=CHILD_EXIT_SECONDS)
                return
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()


def _receive(child: subprocess.Popen[bytes]) -> Message:
    assert child.stdout is not None
    try:
        item = pickle.load(child.stdout)  # noqa: S301 - written by our own child process
    except EOFError:
        code = child.wait()
        raise RuntimeError(f"the city generator exited early (exit code {code})") from None
    if isinstance(item, Failure):
        raise CityError(item.text) if item.bad_input else RuntimeError(item.text)
    message: Message = item
    return message
