"""The supervision API end to end: companies, communities, inspections, verification, lists,
report, video points; bad input answers problem+json with a stable code and writes nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.models.supervision import Inspection
from fangkong.supervision.labels import Aspect
from supervision.conftest import API, DAOLI_COMMUNITY, credit_code, results


def _setup(app_client, users) -> dict[str, int]:
    officer = users["daoli"]
    body = {"name": "安居物业", "credit_code": credit_code("91230102MA1B2C3D4"),
            "region_code": "230102", "contact": "物业办公室"}  # fmt: skip
    company = app_client.post(f"{API}/companies", json=body, headers=officer)
    assert company.status_code == 201, company.text
    community = app_client.post(
        f"{API}/communities",
        json={
            "name": "阳光花园",
            "region_code": DAOLI_COMMUNITY,
            "company_id": company.json()["id"],
        },
        headers=officer,
    )
    assert community.status_code == 201, community.text
    return {"company": company.json()["id"], "community": community.json()["id"]}


def test_inspect_verify_and_report(app_client, users, session):
    ids = _setup(app_client, users)
    body = {"community_id": ids["community"], "results": results({Aspect.GATE: 2})}
    made = app_client.post(f"{API}/inspections", json=body, headers=users["inspector"])
    assert made.status_code == 201, made.text
    [problem] = [f for f in made.json()["findings"] if f["status"] == "open"]
    listed = app_client.get(f"{API}/problems?status=open", headers=users["inspector"]).json()
    assert [f["id"] for f in listed["items"]] == [problem["id"]]
    verified = app_client.post(
        f"{API}/problems/{problem['id']}/verify", json={"rectified": True},
        headers=users["inspector"],
    )  # fmt: skip
    assert verified.json()["status"] == "rectified"
    today = clock.local_today().isoformat()
    found = app_client.get(f"{API}/report?start={today}&end={today}", headers=users["daoli"])
    assert found.json()["rectified"] == 1 and "完成整改1个" in found.json()["text_zh"]
    lists = app_client.get(f"{API}/lists?start={today}&end={today}", headers=users["daoli"])
    assert lists.json()["red"] == [] and lists.json()["black"] == []


def test_bad_inputs_answer_problem_json_and_write_nothing(app_client, users, session):
    ids = _setup(app_client, users)
    inspector = users["inspector"]
    unknown = {"community_id": 999_999, "results": results()}
    answer = app_client.post(f"{API}/inspections", json=unknown, headers=inspector)
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == "supervision.unknown_community"
    past = {"community_id": ids["community"], "results": results({Aspect.SCAN: -1})}
    answer = app_client.post(f"{API}/inspections", json=past, headers=inspector)
    assert (answer.status_code, answer.json()["code"]) == (422, "supervision.deadline_in_past")
    zh = app_client.post(
        f"{API}/inspections", json=past, headers=inspector | {"Accept-Language": "zh-CN"}
    )
    assert zh.json()["code"] == "supervision.deadline_in_past"
    assert session.scalar(select(func.count()).select_from(Inspection)) == 0
    bad_code = {"name": "x", "credit_code": "91230102MA1B2C3D4X", "region_code": "230102"}
    answer = app_client.post(f"{API}/companies", json=bad_code, headers=users["daoli"])
    assert answer.json()["code"] == "supervision.invalid_credit_code"
    today = clock.local_today()
    backwards = f"start={today}&end={today - timedelta(days=1)}"
    answer = app_client.get(f"{API}/report?{backwards}", headers=users["daoli"])
    assert answer.json()["code"] == "supervision.invalid_period"


def test_video_points_ledger_and_import(app_client, users):
    ids = _setup(app_client, users)
    officer = users["daoli"]
    point = app_client.post(
        f"{API}/video-points", json={"name": "东门", "community_id": ids["community"]},
        headers=officer,
    )  # fmt: skip
    assert point.status_code == 201, point.text
    assert point.json()["status"] == "online"
    broken = app_client.post(
        f"{API}/video-points/{point.json()['id']}/status", json={"status": "broken"},
        headers=officer,
    )  # fmt: skip
    assert broken.json()["status"] == "broken"
    csv = (f"名称,小区编号,状态,封控区编号\n东门,{ids['community']},在线,\n"
           f"西门,{ids['community']},离线,\n北门,{ids['community']},冒烟,\n"
           f"南门,999999,在线,\n地库,{ids['community']},在线,999999\n")  # fmt: skip
    report = app_client.post(
        f"{API}/video-points/import",
        files={"file": ("points.csv", csv.encode(), "text/csv")},
        headers=officer,
    ).json()
    assert (report["inserted"], report["unchanged"]) == (1, 1)
    assert [(r["row"], r["code"]) for r in report["rejected"]] == [
        (4, "supervision.invalid_status"),
        (5, "supervision.unknown_community"),
        (6, "supervision.unknown_zone"),
    ]
    offline = app_client.get(f"{API}/video-points?status=offline", headers=officer).json()
    assert [p["name"] for p in offline["items"]] == ["西门"]
    online = app_client.get(f"{API}/video-points?status=online", headers=officer).json()
    assert [p["name"] for p in online["items"]] == ["东门"]


def test_community_import_over_http(app_client, users):
    _setup(app_client, users)
    csv = f"名称,区划代码,地址\n新苑,{DAOLI_COMMUNITY},新路1号\n错区,230102009009,\n"
    report = app_client.post(
        f"{API}/communities/import?dry_run=true",
        files={"file": ("c.csv", csv.encode(), "text/csv")},
        headers=users["daoli"],
    ).json()
    assert report["inserted"] == 1 and report["dry_run"] is True
    assert [r["code"] for r in report["rejected"]] == ["supervision.unknown_region"]
    listed = app_client.get(f"{API}/communities", headers=users["daoli"]).json()
    assert [c["name"] for c in listed["items"]] == ["阳光花园"]
