"""The line checks that need no database: the fast Luhn check agrees with the barcodes module,
Ct values and the threshold, result words, test times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fangkong.testing import barcodes
from fangkong.testing.results.rows import LineChecker, LineError, is_valid_barcode

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


@given(st.text(alphabet="0123456789", min_size=0, max_size=26))
def test_fast_luhn_agrees_with_the_barcodes_module(code):
    assert is_valid_barcode(code) == barcodes.is_valid(code)


@given(st.text(alphabet="0123456789", min_size=7, max_size=23))
def test_every_printed_barcode_is_valid(body):
    assert is_valid_barcode(barcodes.with_check_digit(body))


def test_non_digits_are_refused():
    assert not is_valid_barcode("１２３４５６７８")  # full-width digits
    assert not is_valid_barcode("1234567a")


def _one(**row):
    checker = LineChecker(threshold=35.0, now=NOW)
    base = {"barcode": barcodes.with_check_digit("1234567"), "tested_at": "2026-12-01 10:00"}
    return checker.one(2, base | row)


def test_local_times_are_asia_shanghai_and_offsets_are_kept():
    assert _one(result="阴性")[5] == datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    assert _one(result="阴性", tested_at="2026-12-01T10:00:00+00:00")[5].hour == 10


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"result": "阳性"}, "positive"),
        ({"result": "Negative"}, "negative"),
        ({"ct_n": "34.9"}, "positive"),
        ({"ct_n": "35", "ct_orf1ab": "未检出"}, "negative"),
        ({"result": "阴性", "ct_orf1ab": "36", "ct_n": "40"}, "negative"),
    ],
)
def test_result_from_words_and_threshold(row, expected):
    assert _one(**row)[2] == expected


@pytest.mark.parametrize(
    ("row", "code"),
    [
        ({"result": "阳性", "ct_n": "36"}, "testing.result_disagrees_with_ct"),
        ({"ct_n": "0"}, "testing.ct_out_of_range"),
        ({"ct_n": "nan"}, "testing.ct_out_of_range"),
        ({"ct_n": "50.1"}, "testing.ct_out_of_range"),
        ({"result": ""}, "testing.result_missing"),
        ({"result": "阴性", "tested_at": "2026-12-01 21:00"}, "testing.tested_in_future"),
    ],
)
def test_refusals(row, code):
    with pytest.raises(LineError) as raised:
        _one(**row)
    assert raised.value.code == code
