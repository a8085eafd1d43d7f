"""Streaming writers: CSV (UTF-8 with a BOM, so Excel shows Chinese) and XLSX.

Both append rows to an open file as they come and hold nothing but the current chunk, so an
export of a million rows runs in constant memory.

The XLSX writer is a minimal SpreadsheetML package written here rather than openpyxl's
write-only mode: on this deployment's Python (openpyxl without lxml) write-only mode took
about 25 CPU seconds per 100,000 rows of nine cells, some four minutes per million, while
the sheet XML itself is one string per row. Text goes in inline strings (no shared-string
table to keep in memory), one bold style marks the header, and the members are deflated at a
low level (the XML compresses well anyway). openpyxl still reads the files back in the tests.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Protocol

Cell = str | int | float | None
_SPECIAL = re.compile(r"[&<>\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A CSV cell opening with one of these is a formula to a spreadsheet (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Writer(Protocol):
    def write_header(self, header: Sequence[str]) -> None: ...
    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None: ...
    def close(self) -> None: ...


class CsvWriter:
    def __init__(self, path: Path) -> None:
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._file)

    def write_header(self, header: Sequence[str]) -> None:
        self._csv.writerow(header)

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        self._csv.writerows([_csv_cell(v) for v in row] for row in rows)

    def close(self) -> None:
        self._file.close()


def _csv_cell(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def _escape(text: str) -> str:
    text = _CONTROL.sub("", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xlsx_cell(value: Cell) -> str:
    """One cell, any text escaped (the careful path)."""
    if value is None or value == "":
        return "<c/>"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"<c><v>{value}</v></c>"
    return f'<c t="inlineStr"><is><t>{_escape(str(value))}</t></is></c>'


def _plain_row(row: Sequence[Cell]) -> str:
    """One row whose text needs no escaping (the fast path: no call per cell)."""
    return (
        "<row>"
        + "".join(
            [
                "<c/>"
                if v is None or v == ""
                else f"<c><v>{v}</v></c>"
                if type(v) is int or type(v) is float
                else f'<c t="inlineStr"><is><t>{v}</t></is></c>'
                for v in row
            ]
        )
        + "</row>"
    )


def _careful_row(row: Sequence[Cell]) -> str:
    return "<row>" + "".join([_xlsx_cell(v) for v in row]) + "</row>"


def _needs_escaping(rows: Sequence[Sequence[Cell]]) -> bool:
    text = "".join([v for row in rows for v in row if type(v) is str])
    return _SPECIAL.search(text) is not None


class XlsxWriter:
    def __init__(self, path: Path, *, sheet_title: str = "Sheet1") -> None:
        self._zip = zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        for name, body in _package(sheet_title).items():
            self._zip.writestr(name, body)
        self._sheet: IO[bytes] = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(SHEET_HEAD.encode())

    def write_header(self, header: Sequence[str]) -> None:
        cells = "".join(
            f'<c t="inlineStr" s="1"><is><t>{_escape(str(h))}</t></is></c>' for h in header
        )
        self._sheet.write(f"<row>{cells}</row>".encode())

    def write_rows(self, rows: Iterable[Sequence[Cell]]) -> None:
        chunk = rows if isinstance(rows, list) else list(rows)
        row_xml = _careful_row if _needs_escaping(chunk) else _plain_row
        self._sheet.write("".join([row_xml(row) for row in chunk]).encode())

    def close(self) -> None:
        self._sheet.write(b"</sheetData></worksheet>")
        self._sheet.close()
        self._zip.close()


def open_writer(path: Path, file_format: str, *, sheet_title: str) -> Writer:
    if file_format == "csv":
        return CsvWriter(path)
    return XlsxWriter(path, sheet_title=sheet_title)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    f'<worksheet xmlns="{MAIN}"><sheetViews><sheetView workbookViewId="0">'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    "</sheetView></sheetViews><sheetData>"
)


def _package(sheet_title: str) -> dict[str, str]:
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    office = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return {
        "[Content_Types].xml": xml
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package'
        '.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>',
        "_rels/.rels": xml + f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{office}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": xml + f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets>'
        f'<sheet name="{_escape(sheet_title[:31])}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": xml + f'<Relationships xmlns="{PKG_REL}">'
        f'<Relationship Id="rId1" Type="{office}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{office}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": xml + f'<styleSheet xmlns="{MAIN}">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>",
    }
