"""The care request list as an export (kind ``care_requests``): the officer's district only,
names and phones masked, coded columns shown by their labels, emergencies flagged."""

from __future__ import annotations

import csv
import io

from care.conftest import API, make_resident, seal
from fangkong.core.masking import mask_person_name

EXPORTS = "/api/v1/exports"


def _rows(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_officer_exports_their_requests_masked(app_client, session, settings, officers):
    daoli = make_resident(session, settings)
    nangang = make_resident(session, settings, "230103001002003")
    seal(session)
    session.commit()
    headers = officers["daoli"]
    for kind in ("food", "medical"):
        made = app_client.post(f"{API}/requests", headers=headers,
                               json={"person_id": daoli.id, "kind": kind, "text": "需要"})  # fmt: skip
        assert made.status_code == 201, made.text
    app_client.post(f"{API}/requests", headers=officers["nangang"],
                    json={"person_id": nangang.id, "kind": "medical", "text": "南岗"})  # fmt: skip
    answer = app_client.post(EXPORTS, headers=headers, params={"lang": "en"},
                             json={"kind": "care_requests", "format": "csv", "params": {}})  # fmt: skip
    assert answer.status_code == 202 and answer.json()["status"] == "ready", answer.text
    content = app_client.get(f"{EXPORTS}/{answer.json()['id']}/file", headers=headers).content
    header, *rows = _rows(content)
    assert len(header) == 14 and len(rows) == 2
    assert {r[3] for r in rows} == {mask_person_name(daoli.name)}
    assert daoli.name not in content.decode("utf-8-sig") and "南岗" not in content.decode(
        "utf-8-sig"
    )
    assert all("*" in r[4] for r in rows)
    assert sorted(bool(r[2]) for r in rows) == [False, True]  # the medical one is flagged
    refused = app_client.post(EXPORTS, headers=headers, json={
        "kind": "care_requests", "format": "csv", "params": {"status": "asleep"}})  # fmt: skip
    assert refused.status_code == 422
