"""Line-list entry: pasted rows (Chinese or English headers) are checked row by row; nothing is
written when any row is refused, unless the good rows are asked for; the CLI reads CSV/XLSX."""

from __future__ import annotations

from cases.helpers import API, counts
from factories import resident_id
from fangkong.models.cases import Case
from fangkong.people import service as people
from fangkong.people.protect import Protector
from fangkong.people.schemas import PersonCreate
from outbreak_world import DAOLI, GRID
from testing.world import ADMIN

URL = f"{API}/line-list"
HEAD_ZH = "身份证号\t类型\t采样时间\t发病日期\t发现途径"


def _person(session, settings, seed):
    number = resident_id(seed, region=DAOLI)
    data = PersonCreate(name="一览表居民", id_number=number, grid_code=GRID)
    people.create_person(session, actor=ADMIN, protector=Protector(settings.data_key_bytes),
                         data=data)  # fmt: skip
    return number


def test_all_good_rows_are_written(app_client, session, settings, staff):
    a, b = _person(session, settings, 7_101), _person(session, settings, 7_102)
    session.commit()
    text = "\n".join([HEAD_ZH, f"{a}\t确诊\t2022-11-09 08:00\t2022-11-08\t社区筛查",
                      f"{b}\t无症状\t2022-11-09 09:00\t\t隔离管控中发现"])  # fmt: skip
    report = app_client.post(URL, json={"text": text}, headers=staff["epi"]).json()
    assert (report["accepted"], report["rejected"], report["written"]) == (2, 0, True)
    assert len(report["case_nos"]) == 2
    channels = {c.channel for c in session.query(Case).all()}
    assert channels == {"community_screening", "under_control"}


def test_one_bad_row_writes_nothing_and_names_each(app_client, session, settings, staff):
    a = _person(session, settings, 7_103)
    session.commit()
    unknown = resident_id(7_199, region=DAOLI)
    text = "\n".join([
        "id_number\tkind\tsampled_at\tonset_on\tconfirmed_at\tchannel",
        f"{a}\tconfirmed\t2022-11-09 08:00\t2022-11-08\t2022-11-09 20:00\tfever_clinic",
        f"{unknown}\tconfirmed\t2022-11-09 08:00\t\t\t",
        f"{a}\tconfirmed\t2022-13-09 08:00\t\t\t",
        f"{a}\tconfirmed\t2022-11-09 08:00\t2022-11-10\t2022-11-09 20:00\t",
        f"{a}\tconfirmed\t2022-11-09 08:00\t\t\ttelepathy",
    ])  # fmt: skip
    before = counts(session)
    report = app_client.post(URL, json={"text": text}, headers=staff["epi"]).json()
    assert (report["accepted"], report["rejected"], report["written"]) == (1, 4, False)
    assert [(r["line"], r["code"]) for r in report["rejected_lines"]] == [
        (3, "case.unknown_person"), (4, "case.bad_date"), (5, "case.onset_after_confirmation"),
        (6, "case.unknown_channel"),
    ]  # fmt: skip
    assert counts(session) == before
    forced = app_client.post(URL, json={"text": text, "write_good_rows": True},
                             headers=staff["epi"]).json()  # fmt: skip
    assert forced["written"] is True and len(forced["case_nos"]) == 1


def test_a_header_without_the_id_column(app_client, staff):
    response = app_client.post(URL, json={"text": "姓名\t类型\n张三\t确诊"}, headers=staff["epi"])
    assert (response.status_code, response.json()["code"]) == (422, "case.line_list_header")
