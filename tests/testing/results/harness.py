"""Labs and lab results in the generic harness (``tests/harness``): per district a lab with a
lab user as member, a single tube received, resulted negative and then sent a conflicting
positive (so the conflicts list has a line), a positive pool whose member got a retest task,
and a sealed tube still without a result; the id kinds of the routes, the requests the probe
cannot build from the schema (a file upload, a batch naming the other district's tubes), and
the bad inputs the routes refuse as a whole.

A refused *line* (a bad check digit, a Ct out of range, a test before sampling, an unknown
tube) is refused in a 200 report, listed in ``rejected_lines`` (or ``refused`` of receiving):
those bad inputs are ``line=True``, and the catalogue checks the one listed code instead.

The loader imports ``tests/<domain>/harness.py`` only: ``tests/testing/harness.py`` imports
this module (``import testing.results.harness``) to register it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from factories import make_user, resident_id
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.masking import mask_person_name
from fangkong.core.principal import Principal
from fangkong.models import Person
from fangkong.models.testing import Tube, TubeMember, TubeResult
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from fangkong.testing import barcodes
from fangkong.testing.results import importer, service
from fangkong.testing.results.schemas import LabCreate, ResultBatch, ResultLine
from harness.registry import BadInput, District, Domain, Ids, Seeded, register

BASE = "/api/v1/testing"
LABS, RESULTS = f"{BASE}/labs", f"{BASE}/results"
RECEIVE, TASKS = f"{BASE}/tubes/receive", f"{BASE}/tasks"
CSV_HEADER = "barcode,result,ct_orf1ab,ct_n,tested_at\n"
UNKNOWN = barcodes.with_check_digit("88800000000")  # no tube has it
BAD_DIGIT = UNKNOWN[:-1] + str((int(UNKNOWN[-1]) + 1) % 10)
BEFORE_SAMPLING = "2020-01-01T08:00:00+08:00"


def _actor(district: District) -> Principal:
    return Principal(id=None, username="probe-lab", role="district_officer",
                     region_code=district.code)  # fmt: skip


def _resident(
    session: Session, settings: Settings, district: District, n: int, name: str
) -> Person:
    number = resident_id(3000 + int(district.code) % 1000 * 4 + n, region=district.code)
    data = PersonCreate(name=name, id_number=number, grid_code=district.grid)
    protector = Protector(settings.data_key_bytes)
    return people.create_person(session, actor=_actor(district), protector=protector, data=data)[0]


def _tube(session: Session, district: District, person: Person, n: int, kind: str) -> Tube:
    at = clock.now() - timedelta(hours=2)
    body = f"{77_700_000_000 + int(district.code) % 1000 * 10 + n:011d}"
    tube = Tube(
        barcode=barcodes.with_check_digit(body), kind=kind, capacity=1 if kind == "single" else 10,
        region_code=district.grid, status="sealed", member_count=1,
        opened_at=at, sampled_at=at, sealed_at=at,
    )  # fmt: skip
    session.add(tube)
    session.flush()
    session.add(TubeMember(tube_id=tube.id, person_id=person.id, grid_code=person.grid_code,
                           sampled_at=at))  # fmt: skip
    session.flush()
    return tube


def _upload(session: Session, district: District, lab_id: int, tube: Tube, **line: Any) -> None:
    tested = (clock.now() - timedelta(hours=1)).isoformat()
    batch = ResultBatch(
        lab_id=lab_id, results=[ResultLine(barcode=tube.barcode, tested_at=tested, **line)]
    )
    importer.upload_batch(session, actor=_actor(district), batch=batch)


def _lab(session: Session, district: District) -> tuple[int, str, str]:
    """The district's lab with a lab user as its member: (lab id, name, member's username)."""
    name, address = f"{district.tag}检测中心", f"{district.tag}检测路8号"
    data = LabCreate(name=name, region_code=district.code, address=address)
    lab = service.create_lab(session, actor=_actor(district), data=data)
    username = f"probelab{district.code}"
    member = make_user(session, role="lab", region_code=district.code, username=username)
    service.add_member(session, actor=_actor(district), lab_id=lab.id, user_id=member.id)
    return lab.id, name, username


def _results(session: Session, district: District, lab_id: int, single: Tube, pool: Tube) -> int:
    """Receive the single tube, result it negative, then send a conflicting positive; the pool
    positive (its member gets a retest task). Returns the conflicting line's id."""
    service.receive(session, actor=_actor(district), lab_id=lab_id, barcodes_=[single.barcode])
    _upload(session, district, lab_id, single, result="阴性")
    _upload(session, district, lab_id, single, result="阳性")
    _upload(session, district, lab_id, pool, result="阳性", ct_orf1ab=20.0)
    query = select(TubeResult.id).where(
        TubeResult.tube_id == single.id, TubeResult.outcome == "conflict"
    )
    return int(session.scalars(query).one())


def seed(session: Session, settings: Settings, district: District) -> Seeded:
    lab_id, name, username = _lab(session, district)
    tested = _resident(session, settings, district, 1, f"{district.tag}单管")
    pooled = _resident(session, settings, district, 2, f"{district.tag[-1]}混管复核")
    single = _tube(session, district, tested, 1, "single")
    pool = _tube(session, district, pooled, 2, "pooled")
    fresh = _tube(session, district, tested, 3, "single")  # sealed, no result yet
    conflict = _results(session, district, lab_id, single, pool)
    return Seeded(
        ids={"lab": str(lab_id), "lab_name": name, "tube_result": str(conflict),
             "fresh_barcode": fresh.barcode},
        markers=(name, f"{district.tag}检测路8号", username, single.barcode, pool.barcode,
                 fresh.barcode, mask_person_name(f"{district.tag[-1]}混管复核")),
    )  # fmt: skip


def _new_lab_in(ids: Ids) -> dict[str, Any]:
    return {"json": {"name": "探针检测中心", "region_code": ids["region"]}}


def _receive_at(ids: Ids) -> dict[str, Any]:
    return {"json": {"lab_id": int(ids["lab"]), "barcodes": [ids["fresh_barcode"]]}}


def _line(barcode: str, **overrides: Any) -> dict[str, Any]:
    tested = (clock.now() - timedelta(minutes=30)).isoformat()
    return {"barcode": barcode, "result": "阴性", "tested_at": tested} | overrides


def _results_at(ids: Ids) -> dict[str, Any]:
    return {"json": {"lab_id": int(ids["lab"]), "results": [_line(ids["fresh_barcode"])]}}


def _csv(barcode: str) -> bytes:
    return f"{CSV_HEADER}{barcode},阴性,,,{clock.now().isoformat()}\n".encode()


def _upload_at(ids: Ids) -> dict[str, Any]:
    files = {"file": ("results.csv", _csv(ids["fresh_barcode"]), "text/csv")}
    return {"params": {"lab_id": ids["lab"]}, "files": files}


def _header_only(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("results.csv", CSV_HEADER.encode(), "text/csv")}


def _no_tested_at(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("results.csv", f"barcode,result\n{ids['fresh_barcode']},阴性\n".encode(),
                     "text/csv")}  # fmt: skip


def _bad_digit_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("results.csv", _csv(BAD_DIGIT), "text/csv")}


def _batch(**line: Any) -> dict[str, Any]:
    return {"lab_id": "{lab:int}", "results": [_line("{fresh_barcode}") | line]}


REFUSED_LINES = (
    BadInput("a result line whose barcode has a bad check digit", "post", RESULTS, 200,
             "testing.bad_barcode", json=_batch(barcode=BAD_DIGIT), line=True),
    BadInput("a result line with a Ct above 50", "post", RESULTS, 200,
             "testing.ct_out_of_range", json=_batch(ct_n=51), line=True),
    BadInput("a result line tested before the tube was sampled", "post", RESULTS, 200,
             "testing.tested_before_sampling", json=_batch(tested_at=BEFORE_SAMPLING),
             line=True),
    BadInput("a result line for a tube that does not exist", "post", RESULTS, 200,
             "testing.unknown_tube", json=_batch(barcode=UNKNOWN), line=True),
    BadInput("an uploaded line whose barcode has a bad check digit", "post",
             RESULTS + "/upload", 200, "testing.bad_barcode", params={"lab_id": "{lab}"},
             files=_bad_digit_file, line=True),
    BadInput("receiving a tube that does not exist", "post", RECEIVE, 200,
             "testing.unknown_tube", json={"lab_id": "{lab:int}", "barcodes": [UNKNOWN]},
             line=True),
    BadInput("receiving a barcode with a bad check digit", "post", RECEIVE, 200,
             "testing.bad_barcode", json={"lab_id": "{lab:int}", "barcodes": [BAD_DIGIT]},
             line=True),
)  # fmt: skip

BAD_INPUTS = (
    BadInput("a lab in a region outside the jurisdiction", "post", LABS, 422,
             "testing.lab_region_invalid", json={"name": "坏输入检测中心", "region_code": "230103"}),
    BadInput("a lab in a region that does not exist", "post", LABS, 422,
             "testing.lab_region_invalid",
             json={"name": "坏输入检测中心", "region_code": "230102009"}),
    BadInput("a second lab of the same name", "post", LABS, 409, "testing.lab_name_taken",
             json={"name": "{lab_name}", "region_code": "{region}"}),
    BadInput("a lab that tests no tubes an hour", "post", LABS, 422, "request.invalid",
             json={"name": "坏输入检测中心", "region_code": "{region}", "tubes_per_hour": 0}),
    BadInput("a lab id beyond the column's range", "get", LABS + "/9223372036854775806", 422,
             "request.invalid"),
    BadInput("a lab that does not exist", "get", LABS + "/2147483647", 404,
             "testing.lab_not_found"),
    BadInput("a member who is no lab user", "post", LABS + "/{lab}/members", 422,
             "testing.not_a_lab_user", json={"user_id": "{user:int}"}),
    BadInput("removing a user who is no member", "delete", LABS + "/{lab}/members/{user}", 422,
             "testing.not_a_lab_user"),
    BadInput("a turnaround over more than 90 days", "get", LABS + "/{lab}/turnaround", 422,
             "request.invalid", params={"days": "91"}),
    BadInput("receiving for no lab named", "post", RECEIVE, 422, "testing.lab_required",
             json={"barcodes": ["{fresh_barcode}"]}),
    BadInput("receiving nothing", "post", RECEIVE, 422, "request.invalid",
             json={"lab_id": "{lab:int}", "barcodes": []}),
    BadInput("a result batch for no lab named", "post", RESULTS, 422, "testing.lab_required",
             json={"results": [_line("{fresh_barcode}")]}),
    BadInput("a result batch without lines", "post", RESULTS, 422, "request.invalid",
             json={"lab_id": "{lab:int}", "results": []}),
    BadInput("a result line without a test time", "post", RESULTS, 422, "request.invalid",
             json={"lab_id": "{lab:int}", "results": [{"barcode": "{fresh_barcode}"}]}),
    BadInput("an upload of a header only", "post", RESULTS + "/upload", 422,
             "testing.results_empty", params={"lab_id": "{lab}"}, files=_header_only),
    BadInput("an upload without the test time column", "post", RESULTS + "/upload", 422,
             "import.missing_columns", params={"lab_id": "{lab}"}, files=_no_tested_at),
    BadInput("a template in a format that does not exist", "get", RESULTS + "/template", 422,
             "request.invalid", params={"format": "pdf"}),
    BadInput("settling a conflict that does not exist", "post",
             RESULTS + "/conflicts/2147483647/resolve", 404, "testing.conflict_not_found",
             json={"action": "keep"}),
    BadInput("settling a conflict by an unknown action", "post",
             RESULTS + "/conflicts/{tube_result}/resolve", 422, "request.invalid",
             json={"action": "merge"}),
    BadInput("tasks of a status that does not exist", "get", TASKS, 422, "request.invalid",
             params={"status": "lost"}),
)  # fmt: skip


DOMAIN = register(
    Domain(
        name="testing.results",
        prefixes=(LABS, RECEIVE, RESULTS, TASKS),
        seed=seed,
        order=65,
        id_names={"lab_id": "lab", "user_id": "user", "result_id": "tube_result"},
        requests={
            f"POST {LABS}": _new_lab_in,
            f"POST {RECEIVE}": _receive_at,
            f"POST {RESULTS}": _results_at,
            f"POST {RESULTS}/upload": _upload_at,
        },
        unscoped={
            f"GET {RESULTS}/template": "a blank file of column headers and one example line: "
            "reads no records",
        },
        bad_inputs=BAD_INPUTS + REFUSED_LINES,
    )
)
