import pytest

from fangkong.core.pagination import InvalidCursor, decode_cursor, encode_cursor


@pytest.mark.parametrize("value", [1, 987654321, "230102001", "user_x"])
def test_cursor_round_trip(value):
    assert decode_cursor(encode_cursor(value)) == value


@pytest.mark.parametrize("cursor", ["!!!", "e30", encode_cursor(1)[:-2] + "~~", "W251bGxd"])
def test_bad_cursor(cursor):
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)
