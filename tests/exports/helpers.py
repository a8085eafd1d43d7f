"""Reading an export's file back: every cell as text, the raw bytes for a search."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook


def xlsx_rows(body: bytes) -> list[list[str]]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    sheet = book.active
    assert sheet is not None
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


def xlsx_text(body: bytes) -> str:
    """Every member of the package as text: what a search of the file would find."""
    with zipfile.ZipFile(io.BytesIO(body)) as package:
        return "".join(package.read(name).decode() for name in package.namelist())


def csv_rows(body: bytes) -> list[list[str]]:
    import csv

    assert body.startswith(b"\xef\xbb\xbf")  # the BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
