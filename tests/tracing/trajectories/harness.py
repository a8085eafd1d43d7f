"""The ``tracing.trajectories`` part in the generic harness (``tests/harness``): per district a
case (made as a row: the cases service is another domain's) whose person scanned at a venue,
rode a train (imported through this package's passenger-list importer) and gave two interview
entries (one at home), through this package's own service; the id kinds of the routes, the
passenger list the probe cannot build (naming the other district's resident: refused line by
line, nothing written), and the bad inputs of issue 9 (an interview entry ending before it
starts, outside the trace-back window, at an unknown venue; passenger rows with an unknown
mode, a bad seat, a bad date, an empty list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.cases import Case
from fangkong.models.scan import Scan
from fangkong.models.tracing import TravelRecord
from fangkong.models.venue import Venue
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.tracing.trajectories import importer, service
from fangkong.tracing.trajectories.schemas import InterviewIn
from harness.registry import BadInput, BulkPath, District, Domain, Ids, Seeded, register
from outbreak_world import at, local_day

TRAJECTORY = "/api/v1/cases/{case_id}/trajectory"
INTERVIEW = "/api/v1/cases/{case_id}/interview"
TRAVEL = "/api/v1/travel-records"
HEADER = "交通方式,班次/车次,日期,座位,证件号码,出发站,到达站\n"


def actor_of(district: District) -> Principal:
    return Principal(id=None, username="probe-trajectories", role="district_officer",
                     region_code=district.code)  # fmt: skip


def case_world(session, settings, district: District, n: int, tag: str) -> tuple[Person, Case]:
    """A resident of the district's grid with a case sampled on 3 Nov 08:00 and a scan at a
    venue on 2 Nov 12:00 (inside the trace-back window)."""
    number = resident_id(9700 + n + int(district.code) % 1000, region=district.code)
    person, _ = people.create_person(
        session, actor=actor_of(district), protector=Protector(settings.data_key_bytes),
        data=PersonCreate(name=f"{district.tag}{tag}病例", id_number=number,
                          grid_code=district.grid, address=f"{district.tag}{tag}家园1号"),
    )  # fmt: skip
    case = Case(case_no=f"{tag}-{district.code}", person_id=person.id, kind="asymptomatic",
                source="nat", channel="community_screening", sampled_at=at(3, 8),
                confirmed_at=at(3, 14), reported_on=local_day(at(3, 8)), status="active",
                region_code=person.grid_code, edition_id="cn-9th-2022-06")  # fmt: skip
    venue = Venue(name=f"{district.tag}{tag}商场", type="shop", region_code=district.grid)
    session.add_all([case, venue])
    session.flush()
    session.add(Scan(venue_id=venue.id, person_id=person.id, region_code=district.grid,
                     scanned_at=at(2, 12), decision="allow", colour="green", reasons=[],
                     source="checkin"))  # fmt: skip
    session.flush()
    return person, case


def _interview(session, district: District, case: Case, place: str, hour: int) -> int:
    data = InterviewIn(place=place, start_at=at(2, hour), end_at=at(2, hour + 1))
    return service.add_interview(session, actor=actor_of(district), case_id=case.id, data=data).id


def seed(session, settings, district: District) -> Seeded:
    person, case = case_world(session, settings, district, 1, "轨迹")
    entry = _interview(session, district, case, f"{district.tag}访谈地点", 14)
    home = _interview(session, district, case, person.address or "", 20)
    number = Protector(settings.data_key_bytes).open_id(person.id_number_enc)
    data = (HEADER + f"火车,G{district.code[-4:]},2022-11-02,05车12F,{number},"
            f"{district.tag}西站,长春\n").encode()  # fmt: skip
    importer.import_upload(session, settings, actor=actor_of(district), filename="p.csv",
                           data=data)  # fmt: skip
    ids = {"case": str(case.id), "trajectory_case": str(case.id),
           "interview_entry": str(entry), "trajectory_home_stop": f"interview:{home}",
           "trajectory_id_number": number}  # fmt: skip
    markers = (f"{district.tag}轨迹商场", f"{district.tag}访谈地点", f"{district.tag}西站")
    return Seeded(ids=ids, markers=markers)


def _csv(*rows: str) -> bytes:
    return (HEADER + "".join(f"{row}\n" for row in rows)).encode()


def _import(ids: Ids) -> dict[str, Any]:
    row = f"火车,G1,2022-11-02,1A,{ids['trajectory_id_number']},探针站,长春"
    return {"files": {"file": ("p.csv", _csv(row), "text/csv")}}


def _file(*rows: str) -> Any:
    return lambda ids: {"file": ("p.csv", _csv(*rows), "text/csv")}


def _entry(start: str, end: str, **extra: Any) -> dict[str, Any]:
    return {"place": "坏输入地点", "start_at": start, "end_at": end} | extra


OWN_INTERVIEW = "/api/v1/cases/{trajectory_case}/interview"
BAD_INPUTS = (
    BadInput("an interview entry ending before it starts", "post", OWN_INTERVIEW, 422,
             "trajectory.end_before_start",
             json=_entry("2022-11-02T10:00:00+08:00", "2022-11-02T09:00:00+08:00")),
    BadInput("an interview entry outside the trace-back window", "post", OWN_INTERVIEW, 422,
             "trajectory.outside_window",
             json=_entry("2022-10-01T09:00:00+08:00", "2022-10-01T10:00:00+08:00")),
    BadInput("an interview entry at an unknown venue", "post", OWN_INTERVIEW, 422,
             "trajectory.unknown_venue",
             json=_entry("2022-11-02T09:00:00+08:00", "2022-11-02T10:00:00+08:00",
                         venue_id=99999999)),
    BadInput("an interview entry of a case outside the jurisdiction", "post",
             "/api/v1/cases/99999999/interview", 404, "trajectory.case_not_found",
             json=_entry("2022-11-02T09:00:00+08:00", "2022-11-02T10:00:00+08:00")),
    BadInput("a passenger row of an unknown mode", "post", TRAVEL + "/import", 200,
             "travel.unknown_mode", files=_file(f"火箭,X1,2022-11-02,1A,{resident_id(9801)},,"),
             line=True),
    BadInput("a passenger row with a bad seat", "post", TRAVEL + "/import", 200,
             "travel.bad_seat", files=_file(f"飞机,CA1,2022-11-02,一排A座,{resident_id(9802)},,"),
             line=True),
    BadInput("a passenger row with a bad date", "post", TRAVEL + "/import", 200,
             "travel.bad_date", files=_file(f"飞机,CA1,2022-02-30,1A,{resident_id(9803)},,"),
             line=True),
    BadInput("a passenger row with a broken ID number", "post", TRAVEL + "/import", 200,
             "travel.bad_id_number", files=_file("飞机,CA1,2022-11-02,1A,12345,,"), line=True),
    BadInput("a passenger list of a header only", "post", TRAVEL + "/import", 422,
             "travel.list_empty", files=_file()),
    BadInput("a passenger list of an unknown mode filter", "get", TRAVEL, 422,
             "request.invalid", params={"mode": "rocket"}),
)  # fmt: skip


def write_passengers(path: Path, rows: int) -> None:
    """A long list of unmatched passengers (phones only), 50 trains of one day."""
    lines = (f"火车,G{n % 50 + 1},2022-11-02,{n % 16 + 1:02d}车{n % 20 + 1}A,"
             f"{13_000_000_000 + n}" for n in range(rows))  # fmt: skip
    path.write_text(
        "交通方式,班次/车次,日期,座位,手机号\n" + "\n".join(lines) + "\n", encoding="utf-8"
    )


def _passengers(connection: Connection) -> list[tuple[Any, ...]]:
    columns = (TravelRecord.mode, TravelRecord.number, TravelRecord.travel_on,
               TravelRecord.carriage, TravelRecord.seat_row, TravelRecord.phone_hash)  # fmt: skip
    query = select(*columns).order_by(TravelRecord.number, TravelRecord.phone_hash)
    return [tuple(row) for row in connection.execute(query)]


DOMAIN = register(
    Domain(
        name="tracing.trajectories",
        prefixes=(TRAJECTORY, INTERVIEW, TRAVEL),
        seed=seed,
        order=86,
        id_names={"case_id": "case", "entry_id": "interview_entry"},
        requests={f"POST {TRAVEL}/import": _import},
        unscoped={
            f"GET {TRAVEL}/import/template": "a blank file of column headers and one example "
            "row: reads no records",
        },
        bad_inputs=BAD_INPUTS,
        bulk_paths=(
            BulkPath(
                name="tracing travel import",
                write_file=write_passengers,
                prepare=lambda _folder: [],
                command=lambda file: ("tracing", "travel", "import", str(file)),
                snapshot=_passengers,
                rows=10_000,
            ),
        ),
    )
)
