"""Fixtures of the supervision tests: districts 道里区 (230102) and 南岗区 (230103) with a
street, community and grid each, their officers and inspectors, and factories that go through
the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.orm import Session
from stdnum.cn import uscc

from factories import auth_headers, make_tree, make_user
from fangkong.config import Settings
from fangkong.core import clock
from fangkong.core.principal import Principal
from fangkong.models.supervision import Inspection, PropertyCommunity, PropertyCompany
from fangkong.supervision.companies import service as companies
from fangkong.supervision.companies.schemas import CommunityCreate, CompanyCreate
from fangkong.supervision.inspections import service as inspections
from fangkong.supervision.inspections.schemas import InspectionCreate
from fangkong.supervision.labels import Aspect

API = "/api/v1/supervision"
DAOLI_COMMUNITY = "230102001002"
NANGANG_COMMUNITY = "230103001002"


def credit_code(body: str) -> str:
    """A valid 18-character code: ``body`` (17 characters) and its check character."""
    return body + uscc.calc_check_digit(body)


def officer_of(code: str) -> Principal:
    return Principal(id=None, username=f"officer{code}", role="district_officer",
                     region_code=code)  # fmt: skip


def make_company(
    session: Session, settings: Settings, name: str = "安居物业", *, district: str = "230102",
    body: str = "91230102MA1B2C3D4",
) -> PropertyCompany:  # fmt: skip
    data = CompanyCreate(name=name, credit_code=credit_code(body), region_code=district)
    return companies.create_company(
        session, actor=officer_of(district), settings=settings, data=data
    )


def make_community(
    session: Session, name: str = "阳光花园", *, region_code: str = DAOLI_COMMUNITY,
    company_id: int | None = None,
) -> PropertyCommunity:  # fmt: skip
    data = CommunityCreate(name=name, region_code=region_code, company_id=company_id)
    return companies.create_community(session, actor=officer_of(region_code[:6]), data=data)


def results(problems: dict[Aspect, int] | None = None) -> list[dict[str, Any]]:
    """One result per aspect; ``problems``: aspect → days until the deadline."""
    problems = problems or {}
    today = clock.local_today()
    return [
        {"aspect": a.value, "result": "problem", "note": "未落实",
         "deadline_on": (today + timedelta(days=problems[a])).isoformat()}
        if a in problems else {"aspect": a.value, "result": "pass"}
        for a in Aspect
    ]  # fmt: skip


def inspect(
    session: Session, community: PropertyCommunity, problems: dict[Aspect, int] | None = None
) -> Inspection:
    data = InspectionCreate.model_validate(
        {"community_id": community.id, "results": results(problems)}
    )
    actor = officer_of(community.region_code[:6])
    return inspections.record_inspection(session, actor=actor, data=data)


@pytest.fixture
def districts(session: Session) -> None:
    make_tree(session, "230102")
    make_tree(session, "230103")
    session.flush()


@pytest.fixture
def users(session: Session, settings: Settings, districts: None) -> dict[str, Any]:
    made = {
        "daoli": make_user(session, role="district_officer", region_code="230102"),
        "nangang": make_user(session, role="district_officer", region_code="230103"),
        "inspector": make_user(session, role="inspector", region_code="230102"),
    }
    session.commit()
    return {name: auth_headers(settings, user) for name, user in made.items()}


@pytest.fixture
def settings(base_settings: Settings, tmp_path) -> Settings:
    """Photos go to the test's own folder."""
    return base_settings.model_copy(update={"supervision_photo_dir": tmp_path / "photos"})
