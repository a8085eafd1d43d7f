"""Property companies: the credit code's check character, credit actions changing the score
with an audit row, communities, the import, and the red and black lists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.models import AuditLog
from fangkong.supervision import errors
from fangkong.supervision.companies import importer, service
from fangkong.supervision.companies.schemas import CompanyCreate, CreditActionIn
from fangkong.supervision.labels import Aspect, CreditKind
from supervision.conftest import (
    DAOLI_COMMUNITY,
    credit_code,
    inspect,
    make_community,
    make_company,
    officer_of,
)

DAOLI = officer_of("230102")


def test_a_company_starts_at_the_configured_score(session, settings, districts):
    company = make_company(session, settings)
    assert company.credit_score == settings.supervision_credit_start
    assert len(company.credit_code) == 18


@pytest.mark.parametrize(
    "code",
    ["91230102MA1B2C3D4X", "91230102MA1B2C3D", "91230102MA1B2C3D4I5", "ABCDEFGHIJKLMNOPQR"],
)
def test_a_wrong_credit_code_is_refused(session, settings, districts, code):
    valid = credit_code("91230102MA1B2C3D4")
    assert code != valid
    data = CompanyCreate(name="坏代码物业", credit_code=code, region_code="230102")
    with pytest.raises(errors.InvalidCreditCode):
        service.create_company(session, actor=DAOLI, settings=settings, data=data)


def test_the_same_credit_code_twice_is_a_conflict(session, settings, districts):
    make_company(session, settings)
    with pytest.raises(errors.DuplicateCreditCode):
        make_company(session, settings, "另一家")


def test_summons_and_deductions_change_the_score_and_are_audited(session, settings, districts):
    company = make_company(session, settings)
    start = company.credit_score
    summons = CreditActionIn(kind=CreditKind.SUMMONS, points=5, reason="门岗无人值守")
    service.act_on_credit(session, actor=DAOLI, company_id=company.id, data=summons)
    deduct = CreditActionIn(kind=CreditKind.DEDUCTION, points=500, reason="屡教不改")
    action = service.act_on_credit(session, actor=DAOLI, company_id=company.id, data=deduct)
    assert company.credit_score == 0
    assert action.points == start - 5  # never below zero
    history = service.credit_actions(session, actor=DAOLI, company_id=company.id)
    assert [a.kind for a in history] == ["deduction", "summons"]
    audited = session.scalar(
        select(func.count()).where(AuditLog.action.like("supervision.company.%"))
    )
    assert audited == 3  # create, summons, deduction


def test_another_district_cannot_act_on_the_company(session, settings, districts):
    company = make_company(session, settings)
    data = CreditActionIn(kind=CreditKind.SUMMONS, reason="x")
    with pytest.raises(errors.CompanyNotFound):
        service.act_on_credit(session, actor=officer_of("230103"), company_id=company.id, data=data)


def test_a_community_lies_in_a_community_or_grid(session, settings, districts):
    assert make_community(session).region_code == DAOLI_COMMUNITY
    with pytest.raises(errors.NotCommunityLevel):
        make_community(session, "街道级", region_code="230102001")
    with pytest.raises(errors.UnknownRegion):
        make_community(session, "不存在", region_code="230102009009")
    with pytest.raises(errors.RegionOutOfScope):
        service.create_community(session, actor=DAOLI, data=make_payload("越界", "230103001002"))
    with pytest.raises(errors.DuplicateCommunity):
        make_community(session)


def make_payload(name, region_code):
    from fangkong.supervision.companies.schemas import CommunityCreate

    return CommunityCreate(name=name, region_code=region_code)


def test_community_import_reports_each_rejected_row(session, settings, districts):
    company = make_company(session, settings)
    rows = iter([
        (2, {"name": "幸福小区", "region_code": DAOLI_COMMUNITY,
             "credit_code": company.credit_code}),
        (3, {"name": "幸福小区", "region_code": DAOLI_COMMUNITY}),
        (4, {"name": "街道小区", "region_code": "230102001"}),
        (5, {"name": "外区小区", "region_code": "230103001002"}),
        (6, {"name": "坏企业", "region_code": DAOLI_COMMUNITY, "credit_code": "123"}),
        (7, {"name": "", "region_code": DAOLI_COMMUNITY}),
    ])  # fmt: skip
    report = importer.import_rows(session, actor=DAOLI, rows=rows)
    assert report.inserted == 1
    assert [(r.row, r.code) for r in report.rejected] == [
        (3, "supervision.duplicate_row"),
        (4, "supervision.region_not_community"),
        (5, "supervision.region_out_of_jurisdiction"),
        (6, "supervision.invalid_credit_code"),
        (7, "supervision.invalid_name"),
    ]
    again = importer.import_rows(
        session, actor=DAOLI, rows=iter([(2, {"name": "幸福小区", "region_code": DAOLI_COMMUNITY})])
    )
    assert (again.inserted, again.unchanged) == (0, 1)


def test_red_and_black_lists_come_from_the_data(session, settings, districts):
    good = make_company(session, settings, "优秀物业", body="91230102MA1B2C3D4")
    lax = make_company(session, settings, "松懈物业", body="91230102MA1B2C3D5")
    low = make_company(session, settings, "低分物业", body="91230102MA1B2C3D6")
    inspect(session, make_community(session, "甲小区", company_id=good.id))
    lax_inspection = inspect(
        session, make_community(session, "乙小区", company_id=lax.id), {Aspect.MASKS: 0}
    )
    deduct = CreditActionIn(kind=CreditKind.DEDUCTION, points=30, reason="扣分")
    service.act_on_credit(session, actor=DAOLI, company_id=low.id, data=deduct)
    today = clock.local_today()
    lists = service.lists(session, actor=DAOLI, settings=settings, start=today, end=today)
    assert [c.id for c in lists.red] == [good.id]
    assert [c.id for c in lists.black] == [low.id]  # lax's problem is not yet overdue
    later = today + timedelta(days=1)
    lists = service.lists(session, actor=DAOLI, settings=settings, start=today, end=later)
    assert [c.id for c in lists.black] == [low.id]  # tomorrow has not come yet
    with clock.frozen(clock.now() + timedelta(days=2)):
        lists = service.lists(session, actor=DAOLI, settings=settings, start=today, end=later)
    assert {c.id for c in lists.black} == {low.id, lax.id}
    assert lax_inspection.problems == 1
    nangang = service.lists(
        session, actor=officer_of("230103"), settings=settings, start=today, end=later
    )
    assert nangang.red == [] and nangang.black == []


def test_a_period_backwards_is_refused(session, settings, districts):
    today = clock.local_today()
    with pytest.raises(errors.InvalidPeriod):
        service.lists(
            session, actor=DAOLI, settings=settings, start=today, end=today - timedelta(days=1)
        )
