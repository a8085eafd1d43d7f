"""The period report of supervision, in the style of the official bulletins (e.g. "对1914个
物管小区的……六大方面……进行督导检查，完成立行立改问题239个；对20家物业企业进行了重点约谈、
信用等级扣减"), in Chinese and English, from the counts of the period."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.supervision.companies.validation import check_period
from fangkong.supervision.inspections import repository
from fangkong.supervision.inspections.schemas import PeriodReport
from fangkong.supervision.labels import ASPECT_NAMES_ZH

ASPECTS_ZH = "、".join(ASPECT_NAMES_ZH.values())
ASPECTS_EN = (
    "gate duty, code scanning, mask wearing, disinfection logs, contactless delivery "
    "and prevention publicity"
)


def period_report(session: Session, *, actor: Principal, start: date, end: date) -> PeriodReport:
    check_period(start, end)
    inspections, communities, streets = repository.inspection_counts(session, actor, start, end)
    by_status = repository.finding_counts(session, actor, start, end)
    today = clock.local_today()
    report = PeriodReport(
        start=start,
        end=end,
        inspections=inspections,
        communities=communities,
        streets=streets,
        problems=sum(by_status.values()),
        rectified=by_status.get("rectified", 0),
        not_rectified=by_status.get("not_rectified", 0),
        open=by_status.get("open", 0),
        overdue=repository.overdue_count(session, actor, start, end, today),
        companies_summoned=repository.companies_acted_on(session, actor, start, end, "summons"),
        companies_deducted=repository.companies_acted_on(session, actor, start, end, "deduction"),
    )
    return report.model_copy(update={"text_zh": text_zh(report), "text_en": text_en(report)})


def _day_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def text_zh(r: PeriodReport) -> str:
    return (
        f"{_day_zh(r.start)}至{_day_zh(r.end)}，共开展督导检查{r.inspections:,}次，"
        f"对{r.streets:,}个街道办事处辖区内{r.communities:,}个物管小区的{ASPECTS_ZH}"
        f"等六大方面进行督导检查，发现问题{r.problems:,}个，完成整改{r.rectified:,}个，"
        f"经复查未整改{r.not_rectified:,}个，逾期未整改{r.overdue:,}个；"
        f"对{r.companies_summoned:,}家物业企业进行了约谈，"
        f"对{r.companies_deducted:,}家物业企业扣减了信用分。"
    )


def text_en(r: PeriodReport) -> str:
    return (
        f"From {r.start.isoformat()} to {r.end.isoformat()}, {r.inspections:,} inspections "
        f"covered {r.communities:,} property-managed communities in {r.streets:,} streets on "
        f"six aspects ({ASPECTS_EN}); {r.problems:,} problems were found and "
        f"{r.rectified:,} rectified, {r.not_rectified:,} found not rectified on verification "
        f"and {r.overdue:,} overdue; {r.companies_summoned:,} property companies were summoned "
        f"and {r.companies_deducted:,} credit-deducted."
    )
