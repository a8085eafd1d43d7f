"""The people import template: Chinese headers, one synthetic example row, and (XLSX) a sheet
"说明" that explains every column in Chinese and English.

The example person is synthetic: a resident ID drawn by ``idcard.synthesize`` from a fixed seed
(registered in 道里区 230102), a placeholder name and a 138-0000-0000 style phone.
"""

from __future__ import annotations

import io
import random
from datetime import date
from functools import cache
from typing import Any

from fangkong.core import tabular
from fangkong.people import idcard
from fangkong.people.import_columns import COLUMN_HEADERS

EXAMPLE_BIRTH_DATE = date(1985, 6, 15)
NOTES_SHEET = "说明"
NOTES_HEADER = ("列名", "Column", "必填 Required", "说明", "Description")
YES_NO_ZH = "是/否（也可填 1/0），留空即为否。"
YES_NO_EN = "是/否 (yes/no; 1/0 also accepted); blank means no."
NOTES = {
    "name": ("是", "姓名，1 到 64 个字符。", "Full name, 1 to 64 characters."),
    "id_type": (
        "否",
        "居民身份证、护照、港澳居民来往内地通行证、台湾居民来往大陆通行证或港澳台居民居住证；"
        "留空即为居民身份证。",
        "Resident ID card, passport, Hong Kong/Macao permit, Taiwan permit or HMT residence "
        "permit, in Chinese as listed, or resident_id, passport, hk_macao_permit, taiwan_permit, "
        "hmt_residence_permit; blank means resident ID card.",
    ),
    "id_number": (
        "是",
        "证件号码。居民身份证须为 18 位且校验位正确。证件号码是导入时识别人员的依据：再次导入"
        "同一人员将更新其信息。",
        "Document number. A resident ID has 18 characters and a valid check character. The "
        "document identifies the person: importing the same person again updates the record.",
    ),
    "sex": (
        "否",
        "男或女（也可填 1 或 2）。居民身份证可留空，须与号码一致；其他证件必填。",
        "男 or 女 (or 1, 2). Optional for resident IDs (must match the number); required for "
        "other documents.",
    ),
    "birth_date": (
        "否",
        "YYYY-MM-DD。居民身份证可留空，须与号码一致；其他证件必填。",
        "YYYY-MM-DD. Optional for resident IDs (must match the number); required for other "
        "documents.",
    ),
    "phone": ("否", "11 位手机号码。", "Mainland mobile number, 11 digits."),
    "address": ("否", "现住址，最多 200 个字符。", "Current address, at most 200 characters."),
    "grid_code": (
        "是",
        "15 位网格编码，须为您辖区内已有的网格。",
        "The 15-digit code of an existing grid in your jurisdiction.",
    ),
    "household_ref": (
        "否",
        "户号（最多 32 个字符）。同一户号的人员归入同一户；户号不存在时自动建户。",
        "Household number (at most 32 characters). Rows with the same number form one "
        "household; a new number creates the household.",
    ),
    "is_head": (
        "否",
        "是否为户主（是/否），须同时填写户号。",
        "Head of the household (是/否); needs a household number.",
    ),
    "key_group": (
        "否",
        "重点人群类别，如进口冷链从业人员、口岸工作人员、快递外卖人员、医疗机构工作人员等。",
        "Key group, e.g. 进口冷链从业人员, 口岸工作人员, 快递外卖人员, or the English code "
        "(cold_chain, port, delivery, medical, ...).",
    ),
    "employer": ("否", "工作单位，最多 200 个字符。", "Employer, at most 200 characters."),
}
FLAG_NOTES = {
    "elderly_alone": ("独居老人", "Elderly person living alone"),
    "disabled": ("残疾人", "Disabled"),
    "pregnant": ("孕产妇", "Pregnant or recently delivered"),
    "chronic_disease": ("慢性病患者", "Chronic disease"),
    "migrant": ("外来人员", "Migrant (not registered here)"),
    "from_abroad": ("境外来（返）人员", "Arrived from abroad"),
}


@cache
def example_id_number() -> str:
    """A valid, synthetic resident ID number; the same on every call and in every process."""
    return idcard.synthesize(
        random.Random(0), region_code="230102", birth_date=EXAMPLE_BIRTH_DATE, sex=idcard.MALE
    )


def example_row() -> dict[str, str]:
    values = {
        "name": "张示例",
        "id_type": "居民身份证",
        "id_number": example_id_number(),
        "sex": "男",
        "birth_date": EXAMPLE_BIRTH_DATE.isoformat(),
        "phone": "13800000000",
        "address": "哈尔滨市道里区示例街 1 号",
        "grid_code": "230102001001001",
        "household_ref": "0001",
        "is_head": "是",
        "key_group": "快递外卖人员",
        "employer": "示例快递公司",
    }
    return {name: values.get(name, "否") for name in COLUMN_HEADERS}


def template_csv() -> bytes:
    return tabular.template_csv(COLUMN_HEADERS.values(), example_row().values())


def template_xlsx() -> bytes:
    from openpyxl import Workbook  # noqa: PLC0415 - only a workbook needs it
    from openpyxl.styles import Font  # noqa: PLC0415

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "人员"
    sheet.append(list(COLUMN_HEADERS.values()))
    sheet.append(list(example_row().values()))
    for column in sheet.iter_cols(min_row=1, max_row=2):
        column[0].font = Font(bold=True)
        for cell in column:
            cell.number_format = "@"  # text: Excel must not turn ID numbers into 2.3E+17
    _notes(workbook.create_sheet(NOTES_SHEET))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _notes(sheet: Any) -> None:
    rows = [NOTES_HEADER]
    for name, header in COLUMN_HEADERS.items():
        if name in FLAG_NOTES:
            zh, en = FLAG_NOTES[name]
            rows.append((header, name, "否", f"{zh}：{YES_NO_ZH}", f"{en}: {YES_NO_EN}"))
        else:
            required, zh, en = NOTES[name]
            rows.append((header, name, required, zh, en))
    for row in rows:
        sheet.append(row)
