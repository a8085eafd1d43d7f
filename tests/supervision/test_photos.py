"""Photos of inspections: sniffed type, size limit, stored under the setting's folder, served
only inside the jurisdiction, with an audit row."""

from __future__ import annotations

from sqlalchemy import func, select

from fangkong.models import AuditLog
from fangkong.models.supervision import InspectionPhoto
from supervision.conftest import API, DAOLI_COMMUNITY, results

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _inspection(app_client, users) -> int:
    community = app_client.post(
        f"{API}/communities", json={"name": "照片小区", "region_code": DAOLI_COMMUNITY},
        headers=users["daoli"],
    ).json()  # fmt: skip
    made = app_client.post(
        f"{API}/inspections", json={"community_id": community["id"], "results": results()},
        headers=users["inspector"],
    )  # fmt: skip
    return made.json()["id"]


def test_upload_and_serve_a_photo(app_client, users, settings, session):
    inspection_id = _inspection(app_client, users)
    url = f"{API}/inspections/{inspection_id}/photos"
    made = app_client.post(
        url, files={"file": ("gate.txt", PNG, "text/plain")}, data={"aspect": "gate_duty"},
        headers=users["inspector"],
    )  # fmt: skip
    assert made.status_code == 201, made.text
    assert (made.json()["media_type"], made.json()["aspect"]) == ("image/png", "gate_duty")
    [stored] = list((settings.supervision_photo_dir).iterdir())
    assert stored.read_bytes() == PNG and stored.suffix == ".png"
    photo = app_client.get(f"{API}/photos/{made.json()['id']}", headers=users["daoli"])
    assert photo.content == PNG and photo.headers["content-type"] == "image/png"
    detail = app_client.get(f"{API}/inspections/{inspection_id}", headers=users["daoli"]).json()
    assert detail["photos"] == [made.json()["id"]]
    other = app_client.get(f"{API}/photos/{made.json()['id']}", headers=users["nangang"])
    assert (other.status_code, other.json()["code"]) == (404, "supervision.photo_not_found")
    assert app_client.get(f"{API}/photos/{made.json()['id']}").status_code == 401
    audited = select(func.count()).where(AuditLog.action == "supervision.inspection.photo_add")
    assert session.scalar(audited) == 1


def test_wrong_type_and_too_large_are_refused(app_client, users, settings, session):
    inspection_id = _inspection(app_client, users)
    url = f"{API}/inspections/{inspection_id}/photos"
    text = app_client.post(url, files={"file": ("x.jpg", b"not an image", "image/jpeg")},
                           headers=users["inspector"])  # fmt: skip
    assert (text.status_code, text.json()["code"]) == (422, "supervision.photo_type")
    huge = JPEG + b"\x00" * (5 * 1024 * 1024)
    big = app_client.post(url, files={"file": ("x.jpg", huge, "image/jpeg")},
                          headers=users["inspector"])  # fmt: skip
    assert big.status_code in (413, 422)
    assert session.scalar(select(func.count()).select_from(InspectionPhoto)) == 0
    assert not settings.supervision_photo_dir.exists()
    other = app_client.post(
        f"{API}/inspections/{inspection_id}/photos", files={"file": ("x.jpg", JPEG, "image/jpeg")},
        headers=users["nangang"],
    )  # fmt: skip
    assert other.status_code == 404
