"""Inspections on the six aspects: problems with deadlines, verification, overdue lists,
and the bad inputs the issue names (an unknown community, a deadline in the past) writing
nothing; and the period report."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from fangkong.core import clock
from fangkong.core.pagination import PageParams
from fangkong.models.supervision import Finding, Inspection
from fangkong.supervision import errors
from fangkong.supervision.companies import service as companies
from fangkong.supervision.companies.schemas import CreditActionIn
from fangkong.supervision.inspections import report, service
from fangkong.supervision.inspections.schemas import InspectionCreate, VerificationIn
from fangkong.supervision.labels import Aspect, CreditKind
from supervision.conftest import inspect, make_community, make_company, officer_of, results

DAOLI = officer_of("230102")


def _counts(session) -> tuple[int, int]:
    return (
        session.scalar(select(func.count()).select_from(Inspection)),
        session.scalar(select(func.count()).select_from(Finding)),
    )


def test_an_inspection_has_six_findings_and_counts_its_problems(session, settings, districts):
    community = make_community(session)
    inspection = inspect(session, community, {Aspect.GATE: 3, Aspect.MASKS: 0})
    out = service.inspection_out(session, inspection)
    assert inspection.problems == 2
    assert len(out.findings) == 6
    open_ = {f.aspect for f in out.findings if f.status == "open"}
    assert open_ == {Aspect.GATE, Aspect.MASKS}
    assert all(f.deadline_on is None for f in out.findings if f.status == "ok")


def _create(community_id: int, **changes) -> InspectionCreate:
    body = {"community_id": community_id, "results": results()} | changes
    return InspectionCreate.model_validate(body)


def test_an_unknown_community_is_refused_and_nothing_written(session, settings, districts):
    with pytest.raises(errors.UnknownCommunity):
        service.record_inspection(session, actor=DAOLI, data=_create(999_999))
    other = make_community(session, "南岗小区", region_code="230103001002")
    with pytest.raises(errors.UnknownCommunity):
        service.record_inspection(session, actor=DAOLI, data=_create(other.id))
    assert _counts(session) == (0, 0)


def test_a_deadline_in_the_past_is_refused_and_nothing_written(session, settings, districts):
    community = make_community(session)
    past = results({Aspect.SCAN: -1})
    with pytest.raises(errors.DeadlineInPast):
        service.record_inspection(session, actor=DAOLI, data=_create(community.id, results=past))
    no_deadline = [r | {"deadline_on": None} for r in results({Aspect.SCAN: 1})]
    with pytest.raises(errors.DeadlineMissing):
        service.record_inspection(
            session, actor=DAOLI, data=_create(community.id, results=no_deadline)
        )
    assert _counts(session) == (0, 0)


def test_every_aspect_once(session, settings, districts):
    community = make_community(session)
    five = results()[:5]
    doubled = [*results()[:5], results()[0]]
    for bad in (five, doubled):
        with pytest.raises(errors.IncompleteAspects):
            service.record_inspection(session, actor=DAOLI, data=_create(community.id, results=bad))
    tomorrow = clock.local_today() + timedelta(days=1)
    with pytest.raises(errors.InspectionInFuture):
        service.record_inspection(
            session, actor=DAOLI, data=_create(community.id, inspected_on=tomorrow)
        )
    assert _counts(session) == (0, 0)


def test_verification_closes_a_problem_once(session, settings, districts):
    inspection = inspect(session, make_community(session), {Aspect.DISINFECTION: 2})
    [problem] = [f for f in service.inspection_out(session, inspection).findings if f.deadline_on]
    done = service.verify(
        session, actor=DAOLI, finding_id=problem.id, data=VerificationIn(rectified=True)
    )
    assert done.status == "rectified" and done.verified_at is not None
    with pytest.raises(errors.AlreadyVerified):
        service.verify(
            session, actor=DAOLI, finding_id=problem.id, data=VerificationIn(rectified=False)
        )
    with pytest.raises(errors.FindingNotFound):
        service.verify(
            session, actor=officer_of("230103"), finding_id=problem.id,
            data=VerificationIn(rectified=True),
        )  # fmt: skip


def test_overdue_lists_open_problems_past_their_deadline(session, settings, districts):
    inspect(session, make_community(session), {Aspect.PUBLICITY: 0, Aspect.CONTACTLESS: 2})
    page = PageParams(limit=50)
    assert (
        service.list_problems(session, actor=DAOLI, page=page, status=None, overdue=True)[0] == []
    )
    with clock.frozen(clock.now() + timedelta(days=1)):
        rows, _ = service.list_problems(session, actor=DAOLI, page=page, status=None, overdue=True)
        assert [f.aspect for f in rows] == ["publicity"]


def test_the_period_report_counts_and_reads_like_the_bulletins(session, settings, districts):
    company = make_company(session, settings)
    first = make_community(session, "甲小区", company_id=company.id)
    second = make_community(session, "乙小区", region_code="230102001002003")
    inspect(session, first, {Aspect.GATE: 1, Aspect.SCAN: 1})
    inspect(session, first)
    inspection = inspect(session, second, {Aspect.MASKS: 1})
    [masks] = [f for f in service.inspection_out(session, inspection).findings if f.deadline_on]
    service.verify(session, actor=DAOLI, finding_id=masks.id, data=VerificationIn(rectified=True))
    summons = CreditActionIn(kind=CreditKind.SUMMONS, points=5, reason="约谈")
    companies.act_on_credit(session, actor=DAOLI, company_id=company.id, data=summons)
    today = clock.local_today()
    found = report.period_report(session, actor=DAOLI, start=today, end=today)
    assert (found.inspections, found.communities, found.streets) == (3, 2, 1)
    assert (found.problems, found.rectified, found.open) == (3, 1, 2)
    assert (found.companies_summoned, found.companies_deducted) == (1, 1)
    assert "对1个街道办事处辖区内2个物管小区的门岗值守、配合扫码" in found.text_zh
    assert "完成整改1个" in found.text_zh and "对1家物业企业进行了约谈" in found.text_zh
    assert "3 problems were found and 1 rectified" in found.text_en
    other = report.period_report(session, actor=officer_of("230103"), start=today, end=today)
    assert (other.inspections, other.problems, other.companies_summoned) == (0, 0, 0)
