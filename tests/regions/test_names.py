"""Region names hold no control characters, through the API and the import alike.

Found by the API fuzz on PostgreSQL: a name of ``"\\u0000"`` reached the driver, whose text
cannot hold NUL, and answered 500; SQLite stored it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fangkong.models import Region

API = "/api/v1/regions"
BAD_NAMES = ["\x00", "街道\x00", "换\n行", "\x7f"]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_rename_with_a_control_character_is_422(app_client, session, admin, name):
    response = app_client.patch(f"{API}/230102001", json={"name": name}, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.name"
    assert session.get(Region, "230102001").name == "区划001"


@pytest.mark.parametrize("name", BAD_NAMES)
def test_create_with_a_control_character_is_422(app_client, session, admin, name):
    body = {"code": "230102009", "name": name, "level": "street", "parent_code": "230102"}
    response = app_client.post(API, json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert session.get(Region, "230102009") is None


def test_import_rejects_the_row_with_a_control_character(app_client, session, admin):
    content = "code,name,level,parent_code\n230102008,坏\x00名,street,230102\n230102009,好名,street,230102\n"
    files = {"file": ("regions.csv", content.encode(), "text/csv")}
    response = app_client.post(f"{API}/import", files=files, headers=admin)
    assert response.status_code == 200, response.text
    [rejected] = response.json()["rejected"]
    assert (rejected["row"], rejected["code"]) == (2, "region.invalid_name")
    codes = session.scalars(select(Region.code).where(Region.code.like("23010200_"))).all()
    assert "230102009" in codes
    assert "230102008" not in codes


def test_spaces_and_chinese_punctuation_stay_allowed(app_client, admin):
    response = app_client.patch(f"{API}/230102001", json={"name": " 中央大街·街道 "}, headers=admin)
    assert response.status_code == 200, response.text
    assert response.json()["name"] == "中央大街·街道"
