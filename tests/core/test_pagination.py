import pytest

from fangkong.core.pagination import InvalidCursor, decode_cursor, encode_cursor


@pytest.mark.parametrize("value", [1, 987654321, "230102001", "user_x"])
def test_cursor_round_trip(value):
    assert decode_cursor(encode_cursor(value)) == value


@pytest.mark.parametrize("cursor", ["!!!", "e30", encode_cursor(1)[:-2] + "~~", "W251bGxd"])
def test_bad_cursor(cursor):
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor)


@pytest.mark.parametrize("value", [True, 2**64, "x" * 200, 1.5, None])
def test_cursor_values_of_the_wrong_kind_are_refused(value):
    import base64
    import json

    cursor = base64.urlsafe_b64encode(json.dumps([value]).encode()).decode()
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, int)


def test_string_cursor_for_an_integer_key_is_refused():
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor("zz"), int)
    with pytest.raises(InvalidCursor):
        decode_cursor(encode_cursor(5), str)
