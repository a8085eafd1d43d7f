"""Verbs of public trajectories (公布轨迹) and the citizen's self-check (轨迹自查).

- ``publish``: an officer picks stops of a case's trajectory (``refs``; none: all) and a label
  (default 病例N, N counted over the city's publications of the local day). Nothing that names
  the person is published: the label and places are checked for the name, ID numbers and
  phones (refused), and a stop at the person's home (their or their household's address, or a
  place that says home) is **refused** when picked by hand and **dropped** (counted in
  ``dropped_home``) when publishing all.
- ``withdraw`` takes a publication down (once).
- ``public_trajectories``: publications in force of the last ``days`` days, newest first.
- ``self_check``: the citizen's own scans at a published venue within the edition's
  ``same_place_window_minutes`` of a published stop.

Services flush and never commit; publishing and withdrawing write audit rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session

from fangkong.audit import service as audit
from fangkong.core import clock
from fangkong.core.errors import N_
from fangkong.core.pagination import PageParams
from fangkong.core.principal import Principal
from fangkong.healthcode.service import current_edition
from fangkong.models.tracing import Publication, PublishedStop
from fangkong.tracing.public import errors, repository
from fangkong.tracing.public.schemas import (
    Match,
    PublicationIn,
    PublicationOut,
    PublicPublication,
    SelfCheck,
    StopOut,
)
from fangkong.tracing.trajectories import service as trajectories
from fangkong.tracing.trajectories.schemas import Stop

PUBLIC_DAYS = 14  # how far back the public page and the self-check look by default
MAX_PUBLIC_DAYS = 60
HOME_WORDS = ("家中", "住所", "住处", "居所", "自家", "home")
MIN_PLACE = 4  # a shorter place (超市) inside a home address says nothing of the home
NUMBERS = re.compile(r"\d{7,}")  # an ID number or a phone, whole or in part
ADVICE = N_(
    "You were near a place and time a case was. Report to your community (grid worker) at "
    "once, stay at home and follow their instructions on testing."
)
ALL_CLEAR = N_("No match with the published trajectories. Keep checking as new ones appear.")


# --- publishing ----------------------------------------------------------------------------


def _at_home(stop: Stop, homes: Sequence[str]) -> bool:
    text = f"{stop.place} {stop.detail}".lower()
    if any(word in text for word in HOME_WORDS):
        return True
    place = stop.place.strip()
    return any(home in text or (len(place) >= MIN_PLACE and place in home) for home in homes)


def _names_someone(text: str, name: str) -> bool:
    return bool(NUMBERS.search(text)) or (len(name) >= 2 and name in text)


def _chosen(
    stops: list[Stop], refs: list[str] | None, homes: Sequence[str]
) -> tuple[list[Stop], int]:
    """The stops to publish, and how many home stops were dropped."""
    if refs is None:
        kept = [s for s in stops if not _at_home(s, homes)]
        return kept, len(stops) - len(kept)
    by_ref = {stop.ref: stop for stop in stops}
    chosen = []
    for ref in dict.fromkeys(refs):
        if ref not in by_ref:
            raise errors.UnknownStop(ref)
        if _at_home(by_ref[ref], homes):
            raise errors.HomeStop(ref)
        chosen.append(by_ref[ref])
    return chosen, 0


def default_label(session: Session) -> str:
    today = datetime.combine(clock.local_today(), time(0), tzinfo=clock.LOCAL_TZ)
    count = repository.published_today(session, today, today + timedelta(days=1))
    return f"病例{count + 1}"


def publish(session: Session, *, actor: Principal, data: PublicationIn) -> PublicationOut:
    case = trajectories.get_case(session, actor=actor, case_id=data.case_id)
    name, homes = trajectories.subject_of(session, case)
    start, end = trajectories.window_of(session, case)
    stops, dropped = _chosen(trajectories.stops_of(session, case, start, end), data.refs, homes)
    if not stops:
        raise errors.NoStops()
    label = (data.label or "").strip() or default_label(session)
    if any(_names_someone(text, name) for text in (label, *(s.place for s in stops))):
        raise errors.PersonalData()
    publication = Publication(case_id=case.id, label=label, region_code=case.region_code,
                              published_at=clock.now(), published_by=actor.id)  # fmt: skip
    session.add(publication)
    session.flush()
    session.add_all(_published(publication.id, stops))
    session.flush()
    out = publication_out(session, publication, dropped)
    audit.record(session, actor=actor, action="publication.published", object_type="publication",
                 object_id=publication.id, region_code=case.region_code,
                 after=out.model_dump(mode="json"))  # fmt: skip
    return out


def _published(publication_id: int, stops: list[Stop]) -> list[PublishedStop]:
    return [
        PublishedStop(publication_id=publication_id, start_at=s.start_at,
                      end_at=s.end_at or s.start_at, place=s.place, venue_id=s.venue_id)
        for s in stops
    ]  # fmt: skip


def publication_out(session: Session, publication: Publication, dropped: int = 0) -> PublicationOut:
    stops = repository.stops_of(session, [publication.id])[publication.id]
    return _out(publication, stops, dropped)


def _out(publication: Publication, stops: list[PublishedStop], dropped: int = 0) -> PublicationOut:
    return PublicationOut(
        id=publication.id, case_id=publication.case_id, label=publication.label,
        region_code=publication.region_code, published_at=publication.published_at,
        withdrawn_at=publication.withdrawn_at, dropped_home=dropped,
        stops=[StopOut.model_validate(s) for s in stops],
    )  # fmt: skip


def withdraw(session: Session, *, actor: Principal, publication_id: int) -> PublicationOut:
    publication = repository.publication(session, actor, publication_id)
    if publication is None:
        raise errors.PublicationNotFound()
    if publication.withdrawn_at is not None:
        raise errors.AlreadyWithdrawn()
    publication.withdrawn_at = clock.now()
    session.flush()
    audit.record(session, actor=actor, action="publication.withdrawn", object_type="publication",
                 object_id=publication.id, region_code=publication.region_code,
                 before={"withdrawn_at": None},
                 after={"withdrawn_at": publication.withdrawn_at})  # fmt: skip
    return publication_out(session, publication)


def list_publications(
    session: Session, *, actor: Principal, page: PageParams, active: bool | None = None
) -> tuple[list[PublicationOut], str | None]:
    found, cursor = repository.publication_page(session, actor, page, active)
    stops = repository.stops_of(session, [p.id for p in found])
    return [_out(p, stops[p.id]) for p in found], cursor


# --- what anyone may read, and the self-check --------------------------------------------


def _since(days: int) -> datetime:
    return clock.now() - timedelta(days=min(max(days, 1), MAX_PUBLIC_DAYS))


def public_trajectories(
    session: Session, *, days: int = PUBLIC_DAYS, district: str | None = None
) -> list[PublicPublication]:
    found = repository.published_since(session, _since(days), district)
    stops = repository.stops_of(session, [p.id for p in found])
    names = repository.district_names(session, {p.region_code[:6] for p in found})
    return [
        PublicPublication(label=p.label, district_code=p.region_code[:6],
                          district=names.get(p.region_code[:6], p.region_code[:6]),
                          published_at=p.published_at,
                          stops=[StopOut.model_validate(s) for s in stops[p.id]])
        for p in found
    ]  # fmt: skip


def self_check(session: Session, *, person_id: int, days: int = PUBLIC_DAYS) -> SelfCheck:
    """The citizen's own scans against the published stops (same venue, within the window)."""
    minutes = current_edition(session).contacts.same_place_window_minutes
    margin, since = timedelta(minutes=minutes), _since(days)
    found = repository.published_since(session, since, None)
    stops = repository.stops_of(session, [p.id for p in found])
    labels = {p.id: p.label for p in found}
    by_venue: dict[int, list[PublishedStop]] = {}
    for stop in (s for group in stops.values() for s in group if s.venue_id is not None):
        by_venue.setdefault(stop.venue_id or 0, []).append(stop)
    earliest = min((s.start_at for group in by_venue.values() for s in group), default=since)
    scans = repository.scans_at(session, repository.identities(session, person_id),
                                by_venue.keys(), earliest - margin)  # fmt: skip
    matches = [
        Match(label=labels[stop.publication_id], place=stop.place, stop_start_at=stop.start_at,
              stop_end_at=stop.end_at, scanned_at=scan.scanned_at)
        for scan in scans for stop in by_venue.get(scan.venue_id, [])
        if stop.start_at - margin <= scan.scanned_at <= stop.end_at + margin
    ]  # fmt: skip
    return SelfCheck(window_minutes=minutes, checked_since=since, matches=matches,
                     advice=ADVICE if matches else ALL_CLEAR)  # fmt: skip
