"""People in the generic harness: per district a household, two likely duplicates (one with a
key group), an access-log row; the bad inputs of the people issue; the import as a bulk path."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from factories import resident_id
from fangkong.core.principal import Principal
from fangkong.models import DuplicateCandidate, Household, IdType, KeyGroup, Person
from fangkong.people import idcard, service
from fangkong.people.import_columns import COLUMN_HEADERS
from fangkong.people.protect import Protector
from fangkong.people.schemas import HouseholdCreate, KeyGroupIn, PersonCreate
from harness.registry import BadInput, BulkPath, District, Domain, Ids, Seeded, register

PEOPLE = "/api/v1/people"
BORN = date(1975, 3, 9)


def seed(session, settings, district: District) -> Seeded:
    protector = Protector(settings.data_key_bytes)
    actor = Principal(id=None, username="probe", role="district_officer", region_code=district.code)
    address = f"{district.tag}楼1单元"
    household = service.create_household(
        session, actor=actor, data=HouseholdCreate(grid_code=district.grid, address=address)
    )
    number = resident_id(int(district.code) % 1000, born=BORN, region=district.code)
    phone = f"139{district.code[-4:]}0001"
    first, _ = service.create_person(
        session,
        actor=actor,
        protector=protector,
        data=PersonCreate(
            name=f"{district.tag}一",
            id_number=number,
            phone=phone,
            grid_code=district.grid,
            household_id=household.id,
            key_groups=[KeyGroupIn(group=KeyGroup.DELIVERY, employer=f"{district.tag}快递")],
        ),
    )
    twin, _ = service.create_person(  # same name, birth date and phone: a likely duplicate
        session,
        actor=actor,
        protector=protector,
        data=PersonCreate(
            name=f"{district.tag}一",
            id_type=IdType.PASSPORT,
            id_number=f"E{district.code}",
            sex="1",
            birth_date=BORN,
            phone=phone,
            grid_code=district.grid,
        ),
    )
    service.log_access(session, actor, "person.open", first)
    pair = session.scalars(
        select(DuplicateCandidate.id).where(DuplicateCandidate.person_id == twin.id)
    ).one()
    [membership] = service.key_groups(session, first)
    return Seeded(
        ids={
            "person": str(first.id),
            "household": str(household.id),
            "membership": str(membership.id),
            "pair": str(pair),
            "id_number": number,
            "phone": phone,
        },
        markers=(f"{district.tag}一", address, f"{district.tag}快递"),
    )


def _import_into(ids: Ids) -> dict[str, Any]:
    """A file placing a new person in the other district's grid."""
    header = ",".join(COLUMN_HEADERS[c] for c in ("name", "id_number", "grid_code"))
    number = resident_id(7, born=BORN, region=ids["region"][:6])
    content = f"{header}\n探针导入,{number},{ids['region']}\n"
    return {"files": {"file": ("people.csv", content.encode(), "text/csv")}}


def _new_person_in(ids: Ids) -> dict[str, Any]:
    number = resident_id(8, born=BORN, region=ids["region"][:6])
    return {"json": {"name": "探针新人", "id_number": number, "grid_code": ids["region"]}}


def _search_for(ids: Ids) -> dict[str, Any]:
    return {"json": {"id_number": ids["id_number"]}}


def _person(**overrides: Any) -> dict[str, Any]:
    body = {"name": "坏输入", "id_number": resident_id(11, born=BORN), "grid_code": "{region}"}
    return body | overrides


def _bad_checksum() -> str:
    number = resident_id(12, born=BORN)
    return number[:-1] + ("0" if number[-1] != "0" else "1")


def _unknown_column_file(ids: Ids) -> dict[str, tuple[str, bytes, str]]:
    return {"file": ("people.csv", "名字,证件号码\n张三,1\n".encode(), "text/csv")}


BAD_INPUTS = (
    BadInput("id checksum", "post", PEOPLE, 422, "person.id_number_checksum",
             json=_person(id_number=_bad_checksum())),
    BadInput("id too short", "post", PEOPLE, 422, "person.id_number_length",
             json=_person(id_number="23010219750309")),
    BadInput("sex against the id", "post", PEOPLE, 422, "person.sex_mismatch",
             json=_person(sex="2")),
    BadInput("birth date against the id", "post", PEOPLE, 422, "person.birth_date_mismatch",
             json=_person(birth_date="1975-03-10")),
    BadInput("phone of the wrong length", "post", PEOPLE, 422, "person.invalid_phone",
             json=_person(phone="1380013")),
    BadInput("grid outside the jurisdiction", "post", PEOPLE, 422,
             "person.grid_out_of_jurisdiction", json=_person(grid_code="230103001002003")),
    BadInput("household in two grids", "post", PEOPLE, 422, "household.grid_mismatch",
             json=_person(grid_code="{region_2}", household_id="{household:int}")),
    BadInput("an id number registered already", "post", PEOPLE, 409,
             "person.duplicate_id_number", json=_person(id_number="{id_number}")),
    BadInput("a phone change of the wrong length", "patch", PEOPLE + "/{person}", 422,
             "person.invalid_phone", json={"phone": "12"}),
    BadInput("search by id and phone at once", "post", PEOPLE + "/search", 422,
             "person.search_criterion", json={"id_number": "{id_number}", "phone": "{phone}"}),
    BadInput("a key group ending before it starts", "post", PEOPLE + "/{person}/key-groups",
             422, "person.key_group_dates",
             json={"group": "delivery", "start_date": "2024-05-02", "end_date": "2024-05-01"}),
    BadInput("merge keeping a person outside the pair", "post",
             PEOPLE + "/duplicates/{pair}/merge", 422, "person.merge_keep_not_in_pair",
             json={"keep_id": 99_999_999}),
    BadInput("an import file with an unknown column", "post", PEOPLE + "/import", 422,
             "import.unknown_columns", files=_unknown_column_file),
)  # fmt: skip


# --- the import as a bulk path --------------------------------------------------------

BULK_GRIDS = ("230102001002003", "230102001002004")


def write_people(path: Path, rows: int) -> None:
    """``rows`` synthetic residents, three to a household, some in a key group."""
    rng = random.Random(5)
    names = ("name", "id_number", "phone", "grid_code", "household_ref", "is_head", "key_group")
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([COLUMN_HEADERS[n] for n in names])
        for index in range(rows):
            born = date(1940, 1, 1) + timedelta(days=index)
            number = idcard.synthesize(rng, region_code="230102", birth_date=born, sex="1")
            writer.writerow(
                [f"批量{index}", number, f"138{index:08d}", BULK_GRIDS[index // 3 % 2],
                 f"B{index // 3:06d}", "是" if index % 3 == 0 else "否",
                 "快递外卖人员" if index % 50 == 0 else ""]
            )  # fmt: skip


def _prepare(work: Path) -> list[tuple[str, ...]]:
    regions = work / "grids.csv"
    lines = ["code,name,level,parent_code", "230102001,街道,street,230102"]
    lines += ["230102001002,社区,community,230102001"]
    lines += [f"{grid},网格,grid,230102001002" for grid in BULK_GRIDS]
    regions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [("regions", "import", str(regions))]


def _snapshot(connection: Connection) -> list[tuple[Any, ...]]:
    query = (
        select(Person.id_number_hash, Person.name, Person.grid_code, Household.ref)
        .outerjoin(Household, Household.id == Person.household_id)
        .order_by(Person.id_number_hash)
    )
    households = select(Household.grid_code, Household.ref).order_by(Household.ref)
    return [tuple(r) for r in connection.execute(query)] + [
        tuple(r) for r in connection.execute(households)
    ]


register(
    Domain(
        name="people",
        prefixes=(PEOPLE, "/api/v1/households"),
        seed=seed,
        order=20,
        id_names={
            "person_id": "person",
            "keep_id": "person",
            "head_id": "person",
            "household_id": "household",
            "membership_id": "membership",
            "pair_id": "pair",
            "id_number": "id_number",
            "phone": "phone",
        },
        requests={
            f"POST {PEOPLE}": _new_person_in,
            f"POST {PEOPLE}/import": _import_into,
            f"POST {PEOPLE}/search": _search_for,
        },
        reads=frozenset({f"POST {PEOPLE}/search"}),
        unscoped={
            f"GET {PEOPLE}/import-template.csv": "a blank template",
            f"GET {PEOPLE}/import-template.xlsx": "a blank template",
        },
        volatile={f"GET {PEOPLE}/access-log": "the probe's own reads add rows"},
        bad_inputs=BAD_INPUTS,
        bulk_paths=(
            BulkPath(
                name="people import",
                write_file=write_people,
                prepare=_prepare,
                command=lambda file: ("people", "import", str(file), "--json"),
                snapshot=_snapshot,
            ),
        ),
    )
)
