"""Helpers of the risk-area tests: the API base, CSV/JSON files of the national list."""

from __future__ import annotations

import json
from collections.abc import Sequence

API = "/api/v1/risk-areas"
HEADER = "省,市,区县,区域,风险等级,生效时间,失效时间"
BEIJING = ("北京市", "北京市", "朝阳区")
SHANGHAI = ("上海市", "上海市", "浦东新区")
Line = Sequence[str]


def csv_of(*lines: Line, header: str = HEADER) -> bytes:
    body = "\n".join(",".join(line) for line in lines)
    return f"{header}\n{body}\n".encode()


def json_of(*lines: Line) -> bytes:
    keys = ("province", "city", "district", "area", "grade", "effective_from", "effective_to")
    return json.dumps([dict(zip(keys, line, strict=False)) for line in lines]).encode()


def line(place: tuple[str, str, str], area: str, grade: str, start: str = "", end: str = ""):
    return (*place, area, grade, start, end)


def upload(client, headers, data: bytes, *, name="list.csv", mode="snapshot", as_of=None):
    form = {"mode": mode} | ({"as_of": as_of} if as_of else {})
    files = {"file": (name, data, "application/octet-stream")}
    return client.post(f"{API}/import", data=form, files=files, headers=headers)
