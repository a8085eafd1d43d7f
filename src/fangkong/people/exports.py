"""The grid ledger (台账) as an XLSX workbook: numbers masked, headers in the user's language."""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.styles import Font

from fangkong.core.errors import N_
from fangkong.people.labels import KEY_GROUP_LABELS, SEX_LABELS
from fangkong.people.service import GridLedger, LedgerEntry

COLUMNS = (
    N_("Household number"),
    N_("Address"),
    N_("Head"),
    N_("Name"),
    N_("Sex"),
    N_("Birth date"),
    N_("ID number"),
    N_("Phone"),
    N_("Vulnerable"),
    N_("Migrant"),
    N_("From abroad"),
    N_("Key groups"),
)


def _vulnerable(entry: LedgerEntry) -> bool:
    p = entry.person
    return p.elderly_alone or p.disabled or p.pregnant or p.chronic_disease or p.under_three


def _row(ref: str, address: str, entry: LedgerEntry, gettext: Callable[[str], str]) -> list[object]:
    person = entry.person
    yes, no = gettext(N_("yes")), ""
    return [
        ref,
        address,
        yes if entry.is_head else no,
        person.name,
        gettext(SEX_LABELS.get(person.sex, N_("unknown"))),
        person.birth_date.isoformat(),
        person.id_number_masked,
        person.phone_masked or "",
        yes if _vulnerable(entry) else no,
        yes if person.migrant else no,
        yes if person.from_abroad else no,
        ", ".join(gettext(KEY_GROUP_LABELS.get(g, g)) for g in entry.key_groups),
    ]


def ledger_xlsx(ledger: GridLedger, gettext: Callable[[str], str]) -> bytes:
    book = Workbook(write_only=False)
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = ledger.grid_code
    sheet.append([f"{ledger.grid_name} ({ledger.grid_code})"])
    sheet.append([gettext(c) for c in COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for household, entries in ledger.households:
        for entry in entries:
            sheet.append(
                _row(household.ref or str(household.id), household.address, entry, gettext)
            )
    for entry in ledger.without_household:
        sheet.append(_row("", entry.person.address or "", entry, gettext))
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
