from hypothesis import given
from hypothesis import strategies as st

from fangkong.core.masking import mask_id_number, mask_mapping, mask_phone, scrub_text


def test_masks():
    assert mask_id_number("230102199001011234") == "2301**********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_mapping(
        {"id_number": "23010219900101123X", "password_hash": "x", "name": "张三"}
    ) == {
        "id_number": "2301**********123X",
        "password_hash": "[redacted]",
        "name": "张三",
    }


@given(
    st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
)
def test_scrub_never_leaves_a_full_number(id_number, phone):
    text = scrub_text(f"查询 {id_number}，电话{phone}。")
    assert id_number not in text and phone not in text


def test_person_names_keep_only_their_first_and_last_character():
    from fangkong.core.masking import mask_person_name

    assert mask_person_name("王小明") == "王*明"
    assert mask_person_name("欧阳小明") == "欧**明"
    assert mask_person_name("李雷") == "李*"
    assert mask_person_name("王") == "王"
