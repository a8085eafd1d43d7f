"""The care-needs import (卧床、透析): good rows upserted with audit rows, each bad row refused
with its reason and nothing of it written, another district's resident refused; the CLI's
report and exit codes; the API upload, dry run, template and who may use them."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from care.conftest import API, NANGANG_GRID, make_resident, officer_of
from factories import auth_headers, make_user, resident_id
from fangkong.care.needs import importer
from fangkong.care.volunteers import service
from fangkong.care.volunteers.schemas import NeedIn
from fangkong.core import tabular
from fangkong.models import AuditLog
from fangkong.models.care import CareNeed
from fangkong.people.protect import Protector

HEADER = "证件号码,人员编号,卧床,透析,备注\n"
DAOLI = officer_of("230102")


def number_of(settings, person) -> str:
    return Protector(settings.data_key_bytes).open_id(person.id_number_enc)


def run(session, settings, text: str, actor=DAOLI, name: str = "needs.csv"):
    return importer.import_upload(
        session, actor=actor, settings=settings, filename=name, data=text.encode()
    )


def need_of(session, person_id: int) -> CareNeed | None:
    session.expire_all()
    return session.get(CareNeed, person_id)


def audits(session, action: str = "care.need_import") -> int:
    return session.scalar(select(func.count()).where(AuditLog.action == action))


@pytest.fixture
def residents(session, settings, districts):
    made = [make_resident(session, settings) for _ in range(3)]
    made.append(make_resident(session, settings, NANGANG_GRID))
    session.flush()
    return made


def test_good_rows_are_upserted_with_audit_rows(session, settings, residents):
    first, second, third, _ = residents
    service.set_need(session, actor=DAOLI, person_id=third.id, data=NeedIn(dialysis=True))
    text = HEADER + (
        f"{number_of(settings, first)},,是,否,需上门送药\n"
        f",{second.id},true,1,\n"
        f"{number_of(settings, third)},{third.id},否,否,已康复\n"
    )
    report = run(session, settings, text)
    assert (report.inserted, report.updated, report.unchanged, report.rejected) == (2, 1, 0, [])
    assert (need_of(session, first.id).bedridden, need_of(session, first.id).dialysis) == (
        True, False)  # fmt: skip
    assert need_of(session, first.id).note == "需上门送药"
    assert need_of(session, first.id).region_code == first.grid_code
    assert need_of(session, second.id).dialysis is True
    assert (need_of(session, third.id).dialysis, need_of(session, third.id).note) == (
        False, "已康复")  # fmt: skip
    assert audits(session) == 3
    again = run(session, settings, text)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 3)
    assert audits(session) == 3


def test_each_bad_row_is_refused_with_its_reason_and_not_written(session, settings, residents):
    first, second, third, nangang = residents
    service.set_need(session, actor=DAOLI, person_id=third.id, data=NeedIn(note="原样"))
    unknown = resident_id(7999, region="230102")
    text = HEADER + (
        f"{unknown},,是,否,\n"  # 2: nobody has this number
        f",abc,是,否,\n"  # 3: not a person id
        f",{nangang.id},是,否,\n"  # 4: another district's resident
        f"{number_of(settings, nangang)},,是,否,\n"  # 5: the same, by ID number
        f"{number_of(settings, first)},,也许,否,\n"  # 6: neither yes nor no
        f",{second.id},是,否,{'长' * 201}\n"  # 7: note too long
        f",,是,否,无人\n"  # 8: no resident named
        f"{number_of(settings, first)},{second.id},是,否,\n"  # 9: two residents
        f",{third.id},是,是,\n"  # 10: good
        f"{number_of(settings, third)},,否,否,\n"  # 11: the same resident again
    )
    report = run(session, settings, text)
    assert [(r.row, r.code) for r in report.rejected] == [
        (2, "care.unknown_person"), (3, "care.unknown_person"), (4, "care.unknown_person"),
        (5, "care.unknown_person"), (6, "care.invalid_need_flag"), (7, "care.invalid_need_note"),
        (8, "care.resident_required"), (9, "care.resident_mismatch"), (11, "care.duplicate_row"),
    ]  # fmt: skip
    assert all(r.message for r in report.rejected)
    assert report.updated == 1 and report.inserted == 0
    for person in (first, second, nangang):
        assert need_of(session, person.id) is None
    kept = need_of(session, third.id)
    assert (kept.bedridden, kept.dialysis, kept.note) == (True, True, "")
    assert audits(session) == 1


def test_the_other_district_imports_its_own_residents_only(session, settings, residents):
    first, *_, nangang = residents
    text = HEADER + f",{first.id},是,否,\n,{nangang.id},是,否,\n"
    report = run(session, settings, text, actor=officer_of("230103"))
    assert report.inserted == 1 and [r.row for r in report.rejected] == [2]
    assert need_of(session, first.id) is None and need_of(session, nangang.id).bedridden


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("卧床,透析,备注\n是,否,\n", tabular.MissingColumns),
        ("证件号码,卧床,透析\n1,是,否\n", tabular.MissingColumns),
        ("证件号码,卧床,透析,备注,电话\n1,是,否,,2\n", tabular.UnknownColumns),
        ("", tabular.UnreadableFile),
    ],
)
def test_a_bad_file_is_refused_whole(session, settings, residents, text, error):
    with pytest.raises(error):
        run(session, settings, text)
    assert session.scalar(select(func.count()).select_from(CareNeed)) == 0


def test_template_reads_back_as_an_import(session, settings):
    rows = list(tabular.read_upload("t.csv", importer.template_csv(), importer.ALIASES,
                                    importer.REQUIRED, strict=True))  # fmt: skip
    assert rows[0][1]["bedridden"] == "是"
    sheet = load_workbook(io.BytesIO(importer.template_xlsx())).active
    assert [c.value for c in sheet[1]] == ["证件号码", "人员编号", "卧床", "透析", "备注"]


# --- API ---------------------------------------------------------------------------------


def upload(client, headers, text: str, **params):
    files = {"file": ("needs.csv", text.encode(), "text/csv")}
    return client.post(f"{API}/needs/import", headers=headers, files=files, params=params)


def test_api_upload_dry_run_and_template(app_client, session, settings, officers):
    person = make_resident(session, settings)
    nangang = make_resident(session, settings, NANGANG_GRID)
    session.commit()
    text = HEADER + f",{person.id},是,否,\n,{nangang.id},是,否,\n"
    dry = upload(app_client, officers["daoli"], text, dry_run="true")
    assert dry.status_code == 200, dry.text
    assert dry.json()["dry_run"] is True and dry.json()["inserted"] == 1
    assert need_of(session, person.id) is None
    done = upload(app_client, officers["daoli"], text).json()
    assert (done["inserted"], done["dry_run"]) == (1, False)
    assert done["rejected"] == [
        {"row": 3, "code": "care.unknown_person", "message": done["rejected"][0]["message"]}
    ]
    assert need_of(session, person.id).bedridden is True
    bad = upload(app_client, officers["daoli"], "姓名\n某\n")
    assert bad.status_code == 422 and bad.json()["code"] == "import.unknown_columns"
    csv = app_client.get(f"{API}/needs/import-template", headers=officers["daoli"])
    assert csv.status_code == 200 and csv.content.decode("utf-8-sig").startswith("证件号码")
    xlsx = app_client.get(f"{API}/needs/import-template?format=xlsx", headers=officers["daoli"])
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")


def test_api_needs_care_manage(app_client, session, settings, officers):
    person = make_resident(session, settings)
    lab = auth_headers(settings, make_user(session, role="lab", region_code="230102"))
    session.commit()
    text = HEADER + f",{person.id},是,否,\n"
    for headers, status in ((lab, 403), ({}, 401)):
        assert upload(app_client, headers, text).status_code == status
        template = app_client.get(f"{API}/needs/import-template", headers=headers)
        assert template.status_code == status
    assert need_of(session, person.id) is None


# --- CLI ---------------------------------------------------------------------------------

REGIONS = """code,name,level,parent_code
230104001,靖宇街道,street,230104
230104001001,靖宇社区,community,230104001
230104001001001,靖宇一网格,grid,230104001001
"""


def test_cli_import_report_and_exit_codes(cli_home, tmp_path):
    regions, people, needs = (tmp_path / f"{n}.csv" for n in ("regions", "people", "needs"))
    regions.write_text(REGIONS, encoding="utf-8")
    number = resident_id(41, region="230104")
    people.write_text(f"姓名,证件号码,网格编码\n照护{41},{number},230104001001001\n",
                      encoding="utf-8")  # fmt: skip
    assert cli_home.run(("regions", "import", regions))[0].returncode == 0
    assert cli_home.run(("people", "import", people))[0].returncode == 0
    needs.write_text(HEADER + f"{number},,是,否,\n{number},,是,否,\n,,否,否,\n", encoding="utf-8")
    [dry] = cli_home.run(("care", "needs", "import", needs, "--dry-run"))
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.strip() == "inserted 1, updated 0, unchanged 0, rejected 2 (dry run)"
    assert [line.split(": ")[1] for line in dry.stderr.strip().splitlines()] == [
        "care.duplicate_row", "care.resident_required"]  # fmt: skip
    [first] = cli_home.run(("care", "needs", "import", needs, "--json"))
    assert json.loads(first.stdout)["inserted"] == 1
    [again] = cli_home.run(("care", "needs", "import", needs))
    assert again.stdout.strip() == "inserted 0, updated 0, unchanged 1, rejected 2"
    unknown = tmp_path / "unknown.csv"
    unknown.write_text("卧床,透析,备注\n是,否,\n", encoding="utf-8")
    missing, columns, template = cli_home.run(
        ("care", "needs", "import", tmp_path / "missing.csv"),
        ("care", "needs", "import", unknown),
        ("care", "needs", "template"),
    )
    for result in (missing, columns):
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert "import.missing_columns" in columns.stderr
    assert template.returncode == 0 and template.stdout.startswith("\ufeff证件号码")
