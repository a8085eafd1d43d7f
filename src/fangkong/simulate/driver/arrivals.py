"""Arrivals heard by a channel, as that channel's arrival reports (``arrivals.intake``).

- ``self``: the residents' own reports (抵返报备) of the day, ``self_reports``;
- ``checkpoint``: scans of the residents' personal codes at the run's railway-station
  checkpoint (卡口) by its staff account, each at the arrival's minute, uploaded together
  (``checkpoint_scans``, each code checked at its scan's minute);
- ``pushed``: the big-data list (大数据推送) of the day, a CSV file of ID numbers, origins and
  arrival instants imported as the command office imports one (``importer.import_upload``).
  The list's sender holds the arrivals' ID numbers; the driver, standing in for it, reads
  them with the people service's reveal under the reveal permission granted to it for that
  alone, each reveal logged in the people access log under the driver's name.

The checkpoint and its staff account (a venue operator whose password is random and never
shown: it exists so that the scans have a staff member, as the service requires) are made at
setup. Origins are fixed places outside the city: a risk-area arrival comes from
``RISK_ORIGIN``, the others from ``ORDINARY_ORIGIN``. At setup the driver enters
``RISK_ORIGIN`` in the national risk-area list as a high-risk area (高风险区) from a week
before the run on (``declare_risk_origin``), as the command office keeps that list, unless
the list already grades it then; so the platform classifies those trips and places the
arrivals as the edition says.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from pydantic import SecretStr
from sqlalchemy.orm import Session

from fangkong.arrivals.intake import checkpoints, importer
from fangkong.arrivals.intake import service as intake
from fangkong.arrivals.intake.schemas import (
    CheckpointIn,
    CheckpointKind,
    CheckpointScan,
    SelfReport,
)
from fangkong.arrivals.riskareas import service as riskareas
from fangkong.arrivals.riskareas.schemas import RiskAreaCreate
from fangkong.auth import service as auth
from fangkong.auth.permissions import Role
from fangkong.auth.schemas import UserCreate
from fangkong.citizens import personal_code
from fangkong.config import Settings
from fangkong.core import clock, security
from fangkong.core.principal import Principal
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.simulate.outbreak import CHANNELS
from fangkong.simulate.outbreak.outputs import ArrivalReports

ORDINARY_ORIGIN = ("北京市", "北京市", "东城区")
RISK_ORIGIN = ("上海市", "上海市", "浦东新区")
SELF, PUSHED, CHECKPOINT = (CHANNELS.index(name) for name in ("self", "pushed", "checkpoint"))
PUSHED_COLUMNS = ("id_number", "origin_province", "origin_city", "origin_district", "arrived_at")
CODE_MINUTES = 5
RISK_LEAD = timedelta(days=7)  # the risk origin is listed a week before the run starts


@dataclass(frozen=True, slots=True)
class Checkpoint:
    checkpoint_id: int
    staff: Principal


def open_checkpoint(
    session: Session, settings: Settings, *, actor: Principal, district: str, seed: int
) -> Checkpoint:
    """The run's checkpoint in ``district`` with one staff account."""
    data = UserCreate(username=f"sim{seed}-checkpoint", display_name=f"S{seed} 卡口值守",
                      role=Role.VENUE_OPERATOR, region_code=district,
                      password=SecretStr(security.new_token(24)))  # fmt: skip
    user, _ = auth.create_user(session, actor=actor, settings=settings, data=data)
    place = CheckpointIn(name=f"S{seed} 火车站", kind=CheckpointKind.RAILWAY_STATION,
                         region_code=district)  # fmt: skip
    checkpoint = checkpoints.create(session, actor=actor, data=place)
    checkpoints.add_staff(session, actor=actor, checkpoint_id=checkpoint.id, user_id=user.id)
    staff = Principal(id=user.id, username=user.username, role=user.role, region_code=district)
    return Checkpoint(checkpoint.id, staff)


def declare_risk_origin(session: Session, *, actor: Principal, start: datetime) -> bool:
    """List ``RISK_ORIGIN`` as a high-risk area from ``RISK_LEAD`` before ``start`` on, unless
    the list grades it already then; True when listed now."""
    since = start - RISK_LEAD
    on = since.astimezone(clock.LOCAL_TZ).date().isoformat()
    province, city, district = RISK_ORIGIN
    listed = riskareas.check(session, province=province, city=city, district=district,
                             area="", on=on)  # fmt: skip
    if listed.grade != "none":
        return False
    data = RiskAreaCreate(province=province, city=city, district=district, grade="high",
                          effective_from=since.isoformat(),
                          note="模拟疫情的风险地区 (the simulated risk origin)")  # fmt: skip
    riskareas.create(session, actor=actor, data=data)
    return True


@dataclass(frozen=True, slots=True)
class Channels:
    settings: Settings
    checkpoint: Checkpoint
    actor: Principal  # imports the pushed lists

    def feed(self, session: Session, reports: ArrivalReports, person_ids: list[int],
             midnight: datetime) -> int:  # fmt: skip
        """File the day's self reports together, then the checkpoint's scans as one upload,
        then the day's pushed list; returns how many reports were filed."""
        own: list[tuple[int, SelfReport]] = []
        scans: list[CheckpointScan] = []
        pushed: list[tuple[int, datetime, bool]] = []
        for person, minute, channel, risk in zip(
            reports.person.tolist(), reports.minute.tolist(), reports.channel.tolist(),
            reports.risk_area.tolist(), strict=True,
        ):  # fmt: skip
            at = midnight + timedelta(minutes=minute)
            if channel == SELF:
                own.append((person_ids[person], SelfReport(**_origin(risk), arrived_at=at)))
            elif channel == CHECKPOINT:
                scans.append(self._scan(person_ids[person], at, risk))
            elif channel == PUSHED:
                pushed.append((person_ids[person], at, risk))
        if own:
            intake.self_reports(session, own)
        if scans:
            intake.checkpoint_scans(session, self.settings, actor=self.checkpoint.staff,
                                    scans=scans)  # fmt: skip
        return len(own) + len(scans) + self._push(session, pushed)

    def _push(self, session: Session, pushed: list[tuple[int, datetime, bool]]) -> int:
        """Import the day's pushed list; the reports it filed."""
        if not pushed:
            return 0
        granted = self.actor.permissions | {people.REVEAL_PERMISSION}
        sender = replace(self.actor, permissions=granted)
        numbers = people.reveal_id_numbers(
            session, actor=sender, protector=Protector(self.settings.data_key_bytes),
            person_ids=sorted({person_id for person_id, _, _ in pushed}),
        )  # fmt: skip
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(PUSHED_COLUMNS)
        for person_id, at, risk in pushed:
            origin = RISK_ORIGIN if risk else ORDINARY_ORIGIN
            writer.writerow((numbers[person_id], *origin, at.isoformat()))
        report = importer.import_upload(session, self.settings, actor=self.actor,
                                        filename="pushed.csv",
                                        data=text.getvalue().encode())  # fmt: skip
        return report.accepted

    def _scan(self, person_id: int, at: datetime, risk: bool) -> CheckpointScan:
        """The scan of the personal code the resident showed at ``at`` (valid a few minutes)."""
        code = personal_code.issue(self.settings, person_id, at, CODE_MINUTES).payload
        return CheckpointScan(**_origin(risk), checkpoint_id=self.checkpoint.checkpoint_id,
                              personal_code=code, arrived_at=at)  # fmt: skip


def _origin(risk: bool) -> dict[str, str]:
    province, city, district = RISK_ORIGIN if risk else ORDINARY_ORIGIN
    return {"origin_province": province, "origin_city": city, "origin_district": district}
