"""Resident ID numbers (GB 11643-1999): check character, parsing, errors, synthesis.

Every number here is synthetic or the standard's own example; none belongs to a person.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from fangkong.core.errors import InvalidInput
from fangkong.people import errors, idcard
from fangkong.people.idcard import ResidentId, check_against, check_character, parse, synthesize

# GB 11643 / ISO 7064 MOD 11-2 spelled out, to check the library the module relies on:
# the weight of position i (0-based, of 17) is 2^(17-i) mod 11, and the check character of
# each remainder of the weighted sum modulo 11.
WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
CHECK_CHARACTERS = "10X98765432"

TODAY = date(2022, 3, 1)
HARBIN_DISTRICTS = ["230102", "230103", "230104", "230108", "230109", "230110", "230111",
                    "230112", "230113", "230123", "230124", "230125", "230126", "230127",
                    "230128", "230129", "230183", "230184"]  # fmt: skip
ALPHABET = "0123456789"


def with_check(first17: str) -> str:
    """A number whose check character is right, to reach the checks after the checksum."""
    return first17 + check_character(first17)


# --- the check character, by hand ------------------------------------------------------------
# Weights 2^(17-i) mod 11:  7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2; remainder r -> "10X98765432"[r].


@pytest.mark.parametrize(
    ("first17", "expected"),
    [
        # 2·7+3·9+0·10+1·5+0·8+2·4+1·2+9·1+9·6+0·3+0·7+3·9+0·10+7·5+0·8+0·4+1·2
        # = 14+27+0+5+0+8+2+9+54+0+0+27+0+35+0+0+2 = 183; 183 mod 11 = 7 -> "5"
        ("23010219900307001", "5"),
        # the same with sequence 004: 183 - 1·2 + 4·2 = 189; 189 mod 11 = 2 -> "X"
        ("23010219900307004", "X"),
        # 2·7+3·9+0·10+1·5+0·8+3·4+1·2+9·1+8·6+5·3+0·7+6·9+1·10+5·5+0·8+0·4+2·2
        # = 14+27+0+5+0+12+2+9+48+15+0+54+10+25+0+0+4 = 225; 225 mod 11 = 5 -> "7"
        ("23010319850615002", "7"),
        # GB 11643-1999's own example, 11010519491231002X:
        # 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 -> "X"
        ("11010519491231002", "X"),
        # the standard's other example, 440524188001010014: 195 mod 11 = 8 -> "4"
        ("44052418800101001", "4"),
    ],
)
def test_check_character_known_vectors(first17, expected):
    assert check_character(first17) == expected


def test_weights_are_powers_of_two_mod_11():
    assert WEIGHTS == (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@pytest.mark.parametrize("bad", ["", "2301021990030700", "230102199003070011", "2301021990030700X"])
def test_check_character_needs_17_digits(bad):
    with pytest.raises(ValueError, match="17 ASCII digits"):
        check_character(bad)


# --- parsing valid numbers -------------------------------------------------------------------


def test_parse_reads_region_birth_date_and_sex():
    resident = parse("230102199003070015", today=TODAY)
    assert resident == ResidentId(
        number="230102199003070015", region_code="230102", birth_date=date(1990, 3, 7), sex="1"
    )


def test_parse_reads_female_from_even_sex_digit():
    resident = parse("23010219900307004X", today=TODAY)
    assert (resident.sex, resident.birth_date) == ("2", date(1990, 3, 7))


def test_parse_accepts_the_standards_example():
    assert parse("11010519491231002X", today=TODAY).region_code == "110105"


@pytest.mark.parametrize(
    "pasted",
    [
        "23010219900307004x",
        " 230102 19900307 004X ",
        "2301\t0219\n9003\u30000700\u00a04X",
        "２３０１０２１９９００３０７００４Ｘ",
        "２３０１０２１９９００３０７００４ｘ",
        "２３０１０２ 19900307 ００４x",
    ],
)
def test_parse_normalizes_what_people_paste(pasted):
    assert parse(pasted, today=TODAY).number == "23010219900307004X"


def test_repr_masks_the_number():
    assert repr(parse("23010219900307004X", today=TODAY)) == "ResidentId('2301**********004X')"


def test_is_valid():
    assert idcard.is_valid("23010219900307004x", today=TODAY)
    assert not idcard.is_valid("230102199003070045", today=TODAY)


# --- every error code ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (errors.InvalidIdNumber, "person.invalid_id_number"),
        (errors.IdNumberLength, "person.id_number_length"),
        (errors.IdNumberFormat, "person.id_number_format"),
        (errors.IdNumberChecksum, "person.id_number_checksum"),
        (errors.IdNumberRegion, "person.id_number_region"),
        (errors.IdNumberBirthDate, "person.id_number_birth_date"),
        (errors.SexMismatch, "person.sex_mismatch"),
        (errors.BirthDateMismatch, "person.birth_date_mismatch"),
    ],
)
def test_error_codes_are_stable(error, code):
    assert error.code == code
    assert issubclass(error, InvalidInput)
    assert error.status == 422
    assert error.title and error.title != InvalidInput.title


@pytest.mark.parametrize(
    ("number", "error"),
    [
        ("", errors.IdNumberLength),
        ("23010219900307004", errors.IdNumberLength),
        ("23010219900307004XX", errors.IdNumberLength),
        ("230102900307004", errors.IdNumberLength),  # a first-generation 15-digit number
        ("2301021990030700AX", errors.IdNumberFormat),
        ("23010219900307004Y", errors.IdNumberFormat),
        ("2301021990030700X4", errors.IdNumberFormat),
        ("23010219900307004-", errors.IdNumberFormat),
        ("٢30102199003070045", errors.IdNumberFormat),  # Arabic-Indic two: a digit, not ASCII
        ("230102199003070045", errors.IdNumberChecksum),
        ("230102199003070041", errors.IdNumberChecksum),
        ("230102199003070014", errors.IdNumberChecksum),
        (with_check("19010219900307001"), errors.IdNumberRegion),  # no province 19
        (with_check("00010219900307001"), errors.IdNumberRegion),
        (with_check("23000019900307001"), errors.IdNumberRegion),  # a province, not a county
        (with_check("81000019900307001"), errors.IdNumberRegion),  # Hong Kong residence permit
        (with_check("23010219900230001"), errors.IdNumberBirthDate),  # 30 February
        (with_check("23010219901301001"), errors.IdNumberBirthDate),  # month 13
        (with_check("23010219900300001"), errors.IdNumberBirthDate),  # day 0
        (with_check("23010200000101001"), errors.IdNumberBirthDate),  # year 0
        (with_check("23010218991231001"), errors.IdNumberBirthDate),  # before 1900
        ("440524188001010014", errors.IdNumberBirthDate),  # the standard's example, born 1880
    ],
)
def test_each_failure_has_its_code(number, error):
    with pytest.raises(error) as raised:
        parse(number, today=TODAY)
    assert type(raised.value) is error
    assert isinstance(raised.value, errors.InvalidIdNumber)
    assert not idcard.is_valid(number, today=TODAY)


def test_checks_run_in_a_fixed_order():
    with pytest.raises(errors.IdNumberLength):
        parse("X", today=TODAY)  # also not digits
    with pytest.raises(errors.IdNumberFormat):
        parse("A30102199003070015", today=TODAY)  # also no checksum
    with pytest.raises(errors.IdNumberChecksum):
        parse("990102189913320010", today=TODAY)  # also bad region and date
    with pytest.raises(errors.IdNumberRegion):
        parse(with_check("99010218991332001"), today=TODAY)  # also a bad date


def test_birth_date_may_be_today_but_not_tomorrow():
    born_today = with_check("230102" + TODAY.strftime("%Y%m%d") + "001")
    assert parse(born_today, today=TODAY).birth_date == TODAY
    with pytest.raises(errors.IdNumberBirthDate):
        parse(born_today, today=TODAY - timedelta(days=1))


def test_first_possible_birth_date():
    assert parse(with_check("23010219000101001"), today=TODAY).birth_date == date(1900, 1, 1)


@pytest.mark.parametrize(
    ("yyyymmdd", "real"),
    [("20000229", True), ("20200229", True), ("19000229", False), ("20210229", False)],
)
def test_february_29_only_in_leap_years(yyyymmdd, real):
    number = with_check("230102" + yyyymmdd + "002")
    assert idcard.is_valid(number, today=TODAY) is real
    if not real:
        with pytest.raises(errors.IdNumberBirthDate):
            parse(number, today=TODAY)


# --- entered sex and birth date against the number -------------------------------------------


def test_check_against_accepts_matching_or_missing_values():
    resident = parse("230102199003070015", today=TODAY)
    check_against(resident, sex="1", birth_date=date(1990, 3, 7))
    check_against(resident, sex=None, birth_date=None)


@pytest.mark.parametrize("sex", ["2", "0", "9", "M", ""])
def test_sex_mismatch(sex):
    with pytest.raises(errors.SexMismatch):
        check_against(parse("230102199003070015", today=TODAY), sex=sex, birth_date=None)


def test_birth_date_mismatch():
    resident = parse("23010219900307004X", today=TODAY)
    with pytest.raises(errors.BirthDateMismatch):
        check_against(resident, sex="2", birth_date=date(1990, 7, 3))


def test_sex_is_checked_before_birth_date():
    resident = parse("23010219900307004X", today=TODAY)
    with pytest.raises(errors.SexMismatch):
        check_against(resident, sex="1", birth_date=date(1990, 7, 3))


# --- synthesis -------------------------------------------------------------------------------


def test_synthesize_is_reproducible_from_a_seed():
    def draw(seed: int) -> str:
        return synthesize(
            random.Random(seed), region_code="230102", birth_date=date(1990, 3, 7), sex="2"
        )

    assert draw(7) == draw(7)
    assert len({draw(seed) for seed in range(50)}) > 1


@pytest.mark.parametrize("region_code", ["23010", "2301020", "23O102", "２３０１０２"])
def test_synthesize_refuses_a_malformed_region_code(region_code):
    with pytest.raises(ValueError, match="6 digits"):
        synthesize(random.Random(1), region_code=region_code, birth_date=TODAY, sex="1")


# --- properties ------------------------------------------------------------------------------

regions = st.one_of(
    st.sampled_from(HARBIN_DISTRICTS),
    st.builds(
        str.__add__,
        st.sampled_from(sorted(idcard.PROVINCE_CODES)),
        st.text(ALPHABET, min_size=4, max_size=4).filter(lambda tail: tail != "0000"),
    ),
)
birth_dates = st.dates(min_value=idcard.EARLIEST_BIRTH_DATE, max_value=TODAY)
sexes = st.sampled_from(["1", "2"])
valid_numbers = st.builds(
    synthesize,
    st.randoms(use_true_random=False),
    region_code=regions,
    birth_date=birth_dates,
    sex=sexes,
)


@given(rng=st.randoms(use_true_random=False), region=regions, born=birth_dates, sex=sexes)
def test_synthesized_numbers_parse_back(rng, region, born, sex):
    number = synthesize(rng, region_code=region, birth_date=born, sex=sex)
    resident = parse(number, today=TODAY)
    assert (resident.number, resident.region_code) == (number, region)
    assert (resident.birth_date, resident.sex) == (born, sex)
    check_against(resident, sex=sex, birth_date=born)


def test_weights_detect_every_single_and_adjacent_error():
    """Why the two properties below hold for every number, not only the ones drawn.

    The check character acts as an 18th digit of weight 2^0 = 1: the remainder r maps to the
    value c = (1 - r) mod 11, so the weighted sum of all 18 is always 1 mod 11. Changing one
    digit by d != 0 moves the sum by d·w, never 0 mod 11 since 11 is prime and no weight is 0.
    Swapping adjacent a != b moves it by (a - b)(w_i - w_{i+1}), never 0 mod 11 since
    neighbouring weights differ, the check position's 1 included (its neighbour's is 2).
    """
    weights = (*WEIGHTS, 1)
    assert all(weight % 11 for weight in weights)
    assert all((left - right) % 11 for left, right in pairwise(weights))
    for remainder, character in enumerate(CHECK_CHARACTERS):
        value = 10 if character == "X" else int(character)
        assert (remainder + value) % 11 == 1


@given(number=valid_numbers, data=st.data())
def test_every_single_substitution_is_detected(number, data):
    position = data.draw(st.integers(0, 17), label="position")
    choices = ALPHABET + ("X" if position == 17 else "")
    replacement = data.draw(st.sampled_from(choices).filter(lambda c: c != number[position]))
    typo = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(errors.IdNumberChecksum):
        parse(typo, today=TODAY)


@given(number=valid_numbers, position=st.integers(0, 16))
def test_every_adjacent_transposition_is_detected(number, position):
    """Holds at the check position too: swapping digit 17 with the check is caught.

    When the check is X the swap puts X among the digits, which the format check reports
    first; every other swap is a checksum error.
    """
    left, right = number[position], number[position + 1]
    assume(left != right)
    swapped = number[:position] + right + left + number[position + 2 :]
    expected = errors.IdNumberFormat if "X" in swapped[:17] else errors.IdNumberChecksum
    with pytest.raises(expected):
        parse(swapped, today=TODAY)
