"""Tube barcodes carry a Luhn check digit; the shared test world makes valid, distinct tubes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangkong.models.testing import TubeMember
from fangkong.testing import barcodes
from testing.world import make_resident, make_tube


@given(st.from_regex(r"[0-9]{7,23}", fullmatch=True))
def test_a_body_with_its_check_digit_is_valid(body: str) -> None:
    assert barcodes.is_valid(barcodes.with_check_digit(body))


@given(st.from_regex(r"[0-9]{7,23}", fullmatch=True), st.data())
def test_one_wrong_digit_is_refused(body: str, data: st.DataObject) -> None:
    code = barcodes.with_check_digit(body)
    at = data.draw(st.integers(0, len(code) - 1))
    wrong = str((int(code[at]) + data.draw(st.integers(1, 9))) % 10)
    assert not barcodes.is_valid(code[:at] + wrong + code[at + 1 :])


@pytest.mark.parametrize("text", ["", "1234567", "12345678a", "１２３４５６７８", "1" * 25])
def test_malformed_barcodes_are_refused(text: str) -> None:
    assert not barcodes.is_valid(text)


def test_a_bad_body_cannot_get_a_check_digit() -> None:
    with pytest.raises(ValueError, match="7 to 23 digits"):
        barcodes.with_check_digit("12ab")
    with pytest.raises(ValueError, match="7 to 23 digits"):
        barcodes.with_check_digit("１２３４５６７")


def test_the_world_makes_a_pooled_tube_with_its_members(session, settings, world) -> None:
    people = [make_resident(session, settings, name=f"测试{i}") for i in range(3)]
    tube = make_tube(session, people)
    assert barcodes.is_valid(tube.barcode)
    members = session.query(TubeMember).filter_by(tube_id=tube.id).all()
    assert {m.person_id for m in members} == {p.id for p in people}
    assert {m.grid_code for m in members} == {people[0].grid_code}
