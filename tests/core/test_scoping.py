from hypothesis import given
from hypothesis import strategies as st

from fangkong.core.scoping import covers, scope_prefix


def test_scope_prefix_strips_trailing_zero_pairs_of_the_administrative_part():
    assert scope_prefix("230100") == "2301"
    assert scope_prefix("230000") == "23"
    assert scope_prefix("230102") == "230102"
    assert scope_prefix("230110") == "230110"
    assert scope_prefix("230102001") == "230102001"
    assert scope_prefix("230102001000") == "230102001000"


def test_city_covers_its_districts_but_a_district_not_its_neighbour():
    assert covers("230100", "230103001002")
    assert covers("230102", "230102")
    assert not covers("230102", "230103001")
    assert not covers("230102001", "230102002003")


codes = st.from_regex(r"2301(0[2-9]|1[0-3]|2[3-9]|8[34])(\d{3}){0,3}", fullmatch=True)


@given(codes, codes)
def test_covers_is_transitive_along_ancestry(a, b):
    if covers(a, b):
        assert all(
            covers(a, b[: len(b) - 3 * k])
            for k in range((len(b) - len(a)) // 3 + 1)
            if len(b) - 3 * k >= len(a)
        )
